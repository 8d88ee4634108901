package dev.mobilenet.training.engine;

import dev.mobilenet.MobileNetException;
import java.util.Locale;

/**
 * An optimizer as timm's {@code create_optimizer_v2(model, opt, lr, weight_decay, momentum)} builds it.
 *
 * @param name           {@code sgd} (SGD with Nesterov momentum), {@code momentum} (SGD, classical momentum),
 *                       {@code rmsproptf}, {@code adamw} or {@code lamb}
 * @param lr             base learning rate (a schedule may override it per step)
 * @param weightDecay    applied to tensors with ndim > 1 only
 * @param momentum       sgd/momentum/rmsproptf (timm's default 0.9)
 * @param eps            rmsproptf (inside the square root), adamw, lamb
 * @param beta1          adamw, lamb
 * @param beta2          adamw, lamb
 * @param alpha          rmsproptf's square-average decay (timm's default 0.9)
 * @param decoupledDecay rmsproptf and lamb: decay the weights by lr * wd instead of adding wd * p to the gradient
 * @param maxGradNorm    lamb's global gradient-norm clipping inside the optimizer (0 for none)
 */
public record OptimizerConfig(String name, double lr, double weightDecay, double momentum, double eps, double beta1,
                              double beta2, double alpha, boolean decoupledDecay, double maxGradNorm) {

    public OptimizerConfig {
        name = name.toLowerCase(Locale.ROOT);
        switch (name) {
            case "sgd":
            case "nesterov":
            case "momentum":
            case "rmsproptf":
            case "adamw":
            case "lamb":
                break;
            default:
                throw new MobileNetException("unknown optimizer '" + name
                        + "' (choose sgd, momentum, rmsproptf, adamw or lamb)");
        }
        if (name.equals("nesterov")) {
            name = "sgd";
        }
        if (!(lr >= 0) || !(weightDecay >= 0) || !(momentum >= 0) || !(eps >= 0) || Double.isInfinite(lr)
                || Double.isInfinite(weightDecay) || Double.isInfinite(momentum) || Double.isInfinite(eps)) {
            throw new MobileNetException("optimizer " + name + ": lr, weight decay, momentum and eps must be finite"
                    + " and >= 0, got " + lr + ", " + weightDecay + ", " + momentum + " and " + eps);
        }
        if (name.equals("sgd") && momentum <= 0) {
            throw new MobileNetException("optimizer sgd uses Nesterov momentum, which needs momentum > 0;"
                    + " use 'momentum' with momentum 0 for plain SGD");
        }
    }

    /** timm's defaults for {@code name}: momentum 0.9, and each optimizer's own eps, betas and alpha. */
    public static OptimizerConfig timm(String name, double lr, double weightDecay) {
        String n = name.toLowerCase(Locale.ROOT);
        double eps = n.equals("rmsproptf") ? 1e-10 : n.equals("lamb") ? 1e-6 : 1e-8;
        return new OptimizerConfig(n, lr, weightDecay, 0.9, eps, 0.9, 0.999, 0.9, false, 1.0);
    }

    public OptimizerConfig withMomentum(double m) {
        return new OptimizerConfig(name, lr, weightDecay, m, eps, beta1, beta2, alpha, decoupledDecay, maxGradNorm);
    }

    public OptimizerConfig withEps(double e) {
        return new OptimizerConfig(name, lr, weightDecay, momentum, e, beta1, beta2, alpha, decoupledDecay,
                maxGradNorm);
    }

    public OptimizerConfig withBetas(double b1, double b2) {
        return new OptimizerConfig(name, lr, weightDecay, momentum, eps, b1, b2, alpha, decoupledDecay, maxGradNorm);
    }

    public OptimizerConfig withDecoupledDecay(boolean d) {
        return new OptimizerConfig(name, lr, weightDecay, momentum, eps, beta1, beta2, alpha, d, maxGradNorm);
    }
}
