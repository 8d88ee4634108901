import dev.mobilenet.arch.ModelSpec;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.train.OptimizerConfig;
import dev.mobilenet.train.TrainConfig;
import dev.mobilenet.train.Trainer;
import java.util.Random;

/**
 * Rough training speed: ms per image of one SGD step (forward, backward, update). Not a benchmark harness.
 * Usage: mvn -q -o -pl core compile && java --add-modules jdk.incubator.vector -cp core/target/classes
 *        tools/TrainSpeed.java [arch] [batch] [size] [steps]
 */
public class TrainSpeed {
    public static void main(String[] args) {
        String arch = args.length > 0 ? args[0] : "mobilenetv3_small_100";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int s = args.length > 2 ? Integer.parseInt(args[2]) : 224;
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        MobileNet m = MobileNet.create(ModelSpec.parse(arch), 1000, 1L);
        Trainer t = new Trainer(m, TrainConfig.of(OptimizerConfig.timm("sgd", 0.01, 1e-5)));
        float[] x = new float[n * 3 * s * s];
        Random r = new Random(2);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i;
        }
        t.step(x, n, s, s, labels);
        long best = Long.MAX_VALUE;
        for (int i = 0; i < steps; i++) {
            long t0 = System.nanoTime();
            t.step(x, n, s, s, labels);
            best = Math.min(best, System.nanoTime() - t0);
        }
        System.out.printf("%s batch %d at %dx%d: best step %.1f ms, %.1f ms/image%n", arch, n, s, s, best / 1e6,
                best / 1e6 / n);
    }
}
