import dev.mobilenet.arch.ModelSpec;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.training.engine.OptimizerConfig;
import dev.mobilenet.training.engine.TrainerConfig;
import dev.mobilenet.training.engine.Trainer;
import java.util.Arrays;
import java.util.Random;

/**
 * Rough training speed: ms per image of one SGD step (forward, backward, update), median and best of the timed
 * steps after one warm-up step. Not a benchmark harness.
 * Usage: mvn -q -pl training -am compile && java --add-modules jdk.incubator.vector -Xmx12g
 *        -cp core/target/classes:training/target/classes
 *        tools/TrainSpeed.java [archs,comma,separated] [batch] [size] [threads] [steps]
 * Defaults: mobilenetv3_small_100,mobilenetv3_large_100,mobilenetv2_100, batch 32, 224, 2 threads, 3 steps.
 */
public class TrainSpeed {
    public static void main(String[] args) {
        String archs = args.length > 0 ? args[0] : "mobilenetv3_small_100,mobilenetv3_large_100,mobilenetv2_100";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int s = args.length > 2 ? Integer.parseInt(args[2]) : 224;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        int steps = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        float[] x = new float[n * 3 * s * s];
        Random r = new Random(2);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i;
        }
        for (String arch : archs.split(",")) {
            MobileNet m = MobileNet.create(ModelSpec.parse(arch), 1000, 1L);
            TrainerConfig cfg = TrainerConfig.of(OptimizerConfig.timm("sgd", 0.01, 1e-5)).withThreads(threads);
            try (Trainer t = new Trainer(m, cfg)) {
                t.step(x, n, s, s, labels);
                double[] ms = new double[steps];
                for (int i = 0; i < steps; i++) {
                    long t0 = System.nanoTime();
                    t.step(x, n, s, s, labels);
                    ms[i] = (System.nanoTime() - t0) / 1e6 / n;
                }
                double[] sorted = ms.clone();
                Arrays.sort(sorted);
                System.out.printf("%s batch %d at %dx%d, %d threads: median %.1f ms/image, best %.1f (steps %s)%n",
                        arch, n, s, s, threads, sorted[steps / 2], sorted[0], Arrays.toString(ms));
            }
        }
    }
}
