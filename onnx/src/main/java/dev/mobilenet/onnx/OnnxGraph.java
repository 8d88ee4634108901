package dev.mobilenet.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds an ONNX ModelProto. Field numbers are those of ONNX's onnx.proto (ModelProto, GraphProto, NodeProto,
 * AttributeProto, TensorProto, ValueInfoProto, TypeProto, TensorShapeProto, OperatorSetIdProto,
 * StringStringEntryProto). Identical initializers are stored once.
 */
final class OnnxGraph {
    private static final int FLOAT = 1;
    private static final int ATTR_FLOAT = 1;
    private static final int ATTR_INT = 2;
    private static final int ATTR_STRING = 3;
    private static final int ATTR_INTS = 7;

    private final List<ProtoMessage> nodes = new ArrayList<>();
    private final List<ProtoMessage> initializers = new ArrayList<>();
    private final List<ProtoMessage> inputs = new ArrayList<>();
    private final List<ProtoMessage> outputs = new ArrayList<>();
    private final Map<Long, List<Stored>> byContent = new HashMap<>();
    private final Set<String> names = new HashSet<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    private record Stored(String name, int[] dims, float[] data) {
    }

    /** A float initializer; returns the name to use, which is an existing one when the content is identical. */
    String initializer(String name, int[] dims, float[] data) {
        long key = 31L * Arrays.hashCode(dims) + Arrays.hashCode(data);
        List<Stored> same = byContent.computeIfAbsent(key, k -> new ArrayList<>());
        for (Stored s : same) {
            if (Arrays.equals(s.dims, dims) && Arrays.equals(s.data, data)) {
                return s.name;
            }
        }
        String unique = claim(name);
        ByteBuffer raw = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(data);
        ProtoMessage t = new ProtoMessage();
        for (int d : dims) {
            t.int64(1, d);
        }
        t.int32(2, FLOAT).string(8, unique).bytes(9, raw.array());
        initializers.add(t);
        same.add(new Stored(unique, dims.clone(), data.clone()));
        return unique;
    }

    /** Adds a node whose single output is named after the node; returns that name. */
    String node(String opType, String name, List<String> in, ProtoMessage... attributes) {
        String out = claim(name);
        nodeWithOutputs(opType, out, in, List.of(out), attributes);
        return out;
    }

    private void nodeWithOutputs(String opType, String name, List<String> in, List<String> out,
                                 ProtoMessage... attributes) {
        ProtoMessage n = new ProtoMessage();
        for (String i : in) {
            n.string(1, i);
        }
        for (String o : out) {
            n.string(2, o);
        }
        n.string(3, name).string(4, opType);
        for (ProtoMessage a : attributes) {
            n.message(5, a);
        }
        nodes.add(n);
    }

    /** Renames a value to a graph output name by an Identity node (keeps internal names stable). */
    void output(String value, String outputName, Object... dims) {
        claim(outputName);
        nodeWithOutputs("Identity", outputName + ".identity", List.of(value), List.of(outputName));
        outputs.add(valueInfo(outputName, dims));
    }

    void input(String name, Object... dims) {
        claim(name);
        inputs.add(valueInfo(name, dims));
    }

    void metadata(String key, String value) {
        metadata.put(key, value);
    }

    private String claim(String name) {
        String n = name;
        for (int i = 1; !names.add(n); i++) {
            n = name + "_" + i;
        }
        return n;
    }

    /** dims are Integer (fixed) or String (symbolic). */
    private static ProtoMessage valueInfo(String name, Object... dims) {
        ProtoMessage shape = new ProtoMessage();
        for (Object d : dims) {
            ProtoMessage dim = new ProtoMessage();
            if (d instanceof Integer) {
                dim.int64(1, (Integer) d);
            } else {
                dim.string(2, (String) d);
            }
            shape.message(1, dim);
        }
        ProtoMessage tensorType = new ProtoMessage().int32(1, FLOAT).message(2, shape);
        ProtoMessage type = new ProtoMessage().message(1, tensorType);
        return new ProtoMessage().string(1, name).message(2, type);
    }

    static ProtoMessage attr(String name, long value) {
        return new ProtoMessage().string(1, name).int64(3, value).int32(20, ATTR_INT);
    }

    static ProtoMessage attr(String name, float value) {
        return new ProtoMessage().string(1, name).float32(2, value).int32(20, ATTR_FLOAT);
    }

    static ProtoMessage attr(String name, String value) {
        return new ProtoMessage().string(1, name).bytes(4, value.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .int32(20, ATTR_STRING);
    }

    static ProtoMessage attrInts(String name, long... values) {
        ProtoMessage a = new ProtoMessage().string(1, name);
        for (long v : values) {
            a.int64(8, v);
        }
        return a.int32(20, ATTR_INTS);
    }

    byte[] toModel(String graphName, int irVersion, int opset, String producerVersion) {
        ProtoMessage graph = new ProtoMessage();
        nodes.forEach(n -> graph.message(1, n));
        graph.string(2, graphName);
        initializers.forEach(t -> graph.message(5, t));
        inputs.forEach(i -> graph.message(11, i));
        outputs.forEach(o -> graph.message(12, o));
        ProtoMessage model = new ProtoMessage()
                .int64(1, irVersion)
                .string(2, "mobilenet-java")
                .string(3, producerVersion)
                .message(7, graph)
                .message(8, new ProtoMessage().string(1, "").int64(2, opset));
        metadata.forEach((k, v) -> model.message(14, new ProtoMessage().string(1, k).string(2, v)));
        return model.toByteArray();
    }
}
