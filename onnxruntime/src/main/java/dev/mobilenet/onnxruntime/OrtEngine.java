package dev.mobilenet.onnxruntime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.mobilenet.MobileNetException;
import dev.mobilenet.model.Engine;
import dev.mobilenet.model.Inference;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.model.Session;
import dev.mobilenet.onnx.ExportOptions;
import dev.mobilenet.onnx.OnnxExporter;
import dev.mobilenet.tensor.Tensor;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a MobileNet in ONNX Runtime (CPU): the model is exported in memory, once per output kind and input size,
 * with all graph optimisations on and the requested number of intra-op threads. Not thread-safe.
 */
public final class OrtEngine implements Engine {
    private final Inference net;
    private final int opset;
    private final int threads;
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final Map<String, OrtSession> sessions = new HashMap<>();

    /**
     * @param threads intra-op threads, or 0 for ONNX Runtime's default
     */
    public OrtEngine(MobileNet model, int threads) {
        this(model.compile(), ExportOptions.DEFAULT_OPSET, threads);
    }

    public OrtEngine(Inference net, int opset, int threads) {
        if (threads < 0 || threads > dev.mobilenet.model.Session.MAX_THREADS) {
            throw new MobileNetException("threads must be between 0 (ONNX Runtime's choice) and "
                    + dev.mobilenet.model.Session.MAX_THREADS + ", got " + threads);
        }
        this.net = net;
        this.opset = opset;
        this.threads = threads;
    }

    @Override
    public int numClasses() {
        return net.model().numClasses();
    }

    @Override
    public Tensor logits(Tensor x) {
        return run(x, ExportOptions.Output.LOGITS).get(0);
    }

    @Override
    public Tensor preLogits(Tensor x) {
        return run(x, ExportOptions.Output.PRE_LOGITS).get(0);
    }

    @Override
    public List<Tensor> features(Tensor x) {
        return run(x, ExportOptions.Output.FEATURES);
    }

    private List<Tensor> run(Tensor x, ExportOptions.Output output) {
        int[] s = Session.checkInput(x);
        OrtSession session = session(output, s[2], s[3]);
        long[] shape = {s[0], s[1], s[2], s[3]};
        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.data()), shape);
             OrtSession.Result r = session.run(Map.of("input", in))) {
            List<Tensor> out = new ArrayList<>();
            for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : r) {
                OnnxTensor t = (OnnxTensor) e.getValue();
                long[] dims = t.getInfo().getShape();
                int[] ints = new int[dims.length];
                for (int i = 0; i < dims.length; i++) {
                    ints[i] = Math.toIntExact(dims[i]);
                }
                FloatBuffer fb = t.getFloatBuffer();
                float[] data = new float[fb.remaining()];
                fb.get(data);
                out.add(new Tensor(ints, data));
            }
            return out;
        } catch (OrtException e) {
            throw new MobileNetException("onnxruntime: " + e.getMessage(), e);
        }
    }

    private OrtSession session(ExportOptions.Output output, int h, int w) {
        String key = output + "@" + h + "x" + w;
        OrtSession s = sessions.get(key);
        if (s == null) {
            byte[] model = OnnxExporter.export(net, new ExportOptions(opset, h, w, false, output, Map.of()));
            try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
                so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                if (threads > 0) {
                    so.setIntraOpNumThreads(threads);
                }
                s = env.createSession(model, so);
            } catch (OrtException e) {
                throw new MobileNetException("onnxruntime could not load the exported graph: " + e.getMessage(), e);
            }
            sessions.put(key, s);
        }
        return s;
    }

    @Override
    public void close() {
        for (OrtSession s : sessions.values()) {
            try {
                s.close();
            } catch (OrtException e) {
                throw new MobileNetException("onnxruntime: " + e.getMessage(), e);
            }
        }
        sessions.clear();
    }
}
