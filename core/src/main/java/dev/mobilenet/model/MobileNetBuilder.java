package dev.mobilenet.model;

import dev.mobilenet.arch.ArchConfig;
import dev.mobilenet.arch.Architectures;
import dev.mobilenet.arch.BlockRow;
import dev.mobilenet.arch.BlockType;
import dev.mobilenet.arch.Channels;
import dev.mobilenet.arch.HeadStyle;
import dev.mobilenet.arch.ModelSpec;
import dev.mobilenet.arch.Stage;
import dev.mobilenet.kernels.Activation;
import dev.mobilenet.nn.BatchNorm2d;
import dev.mobilenet.nn.Block;
import dev.mobilenet.nn.Conv2d;
import dev.mobilenet.nn.ConvBnAct;
import dev.mobilenet.nn.DepthwiseSeparableConv;
import dev.mobilenet.nn.InvertedResidual;
import dev.mobilenet.nn.Linear;
import dev.mobilenet.nn.Padding;
import dev.mobilenet.nn.SqueezeExcite;
import java.util.ArrayList;
import java.util.List;

/**
 * The one builder for every architecture: it walks a table, applies the width multiplier (channel rounding) and
 * the depth multiplier (repeat scaling) exactly as timm's EfficientNetBuilder does, and records feature_info.
 */
final class MobileNetBuilder {
    private final ArchConfig cfg;
    private int inChannels;

    private MobileNetBuilder(ArchConfig cfg) {
        this.cfg = cfg;
    }

    static MobileNet build(ModelSpec spec, int numClasses) {
        ArchConfig cfg = Architectures.config(spec);
        return new MobileNetBuilder(cfg).assemble(spec, numClasses);
    }

    private MobileNet assemble(ModelSpec spec, int numClasses) {
        int stem = cfg.fixStem() ? cfg.stemSize() : round(cfg.stemSize());
        Conv2d convStem = new Conv2d(3, stem, 3, 2, 1, 1, padding(3, 2), false);
        BatchNorm2d bn1 = new BatchNorm2d(stem, cfg.bnEps(), cfg.act());

        List<List<BlockRow>> stages = scaledStages();
        List<FeatureInfo> features = new ArrayList<>();
        int reduction = 2;
        if (stages.get(0).get(0).stride() > 1) {
            features.add(new FeatureInfo("bn1", stem, reduction, 0, -1));
        }
        inChannels = stem;
        List<List<Block>> blocks = new ArrayList<>();
        int flat = 0;
        for (int i = 0; i < stages.size(); i++) {
            List<BlockRow> rows = stages.get(i);
            List<Block> stage = new ArrayList<>();
            for (int j = 0; j < rows.size(); j++) {
                BlockRow row = rows.get(j);
                int stride = j == 0 ? row.stride() : 1;
                reduction *= stride;
                stage.add(makeBlock(row, stride));
                boolean last = j == rows.size() - 1;
                if (last && (i + 1 == stages.size() || stages.get(i + 1).get(0).stride() > 1)) {
                    features.add(new FeatureInfo("blocks." + i, inChannels, reduction, i + 1, flat));
                }
                flat++;
            }
            blocks.add(stage);
        }

        Conv2d convHead = null;
        BatchNorm2d bn2 = null;
        int numFeatures;
        int headHidden;
        if (cfg.headStyle() == HeadStyle.CONV_BN_POOL) {
            if (cfg.headFeatures() > 0) {
                convHead = new Conv2d(inChannels, cfg.headFeatures(), 1, 1, 1, 1, padding(1, 1), false);
                bn2 = new BatchNorm2d(cfg.headFeatures(), cfg.bnEps(), cfg.act());
                numFeatures = cfg.headFeatures();
            } else {
                numFeatures = inChannels;
            }
            headHidden = numFeatures;
        } else {
            numFeatures = inChannels;
            convHead = new Conv2d(inChannels, cfg.headFeatures(), 1, 1, 1, 1, padding(1, 1), cfg.headBias());
            headHidden = cfg.headFeatures();
        }
        Linear classifier = numClasses > 0 ? new Linear(headHidden, numClasses) : null;
        return new MobileNet(spec, cfg, numClasses, convStem, bn1, blocks, convHead, bn2, classifier, features,
                numFeatures, headHidden);
    }

    private int round(int channels) {
        return Channels.roundChannels(channels, cfg.widthMultiplier());
    }

    private Padding padding(int kernel, int stride) {
        return cfg.samePadding() ? Padding.tfSame(kernel, stride, 1) : Padding.pytorch(kernel, stride, 1);
    }

    /** timm's decode_arch_def + _scale_stage_depth with ceil truncation; each row expanded to its blocks. */
    private List<List<BlockRow>> scaledStages() {
        List<Stage> table = cfg.stages();
        List<List<BlockRow>> out = new ArrayList<>();
        for (int i = 0; i < table.size(); i++) {
            boolean fixed = cfg.fixFirstLast() && (i == 0 || i == table.size() - 1);
            out.add(scaleDepth(table.get(i).rows(), fixed ? 1.0 : cfg.depthMultiplier()));
        }
        return out;
    }

    static List<BlockRow> scaleDepth(List<BlockRow> rows, double multiplier) {
        int numRepeat = 0;
        for (BlockRow r : rows) {
            numRepeat += r.repeats();
        }
        int scaled = (int) Math.ceil(numRepeat * multiplier);
        // Distribute in reverse so the first row is the least likely to grow, as timm does.
        int[] reps = new int[rows.size()];
        for (int i = rows.size() - 1; i >= 0; i--) {
            int r = rows.get(i).repeats();
            int rs = Math.max(1, Channels.pythonRound((double) r / numRepeat * scaled));
            reps[i] = rs;
            numRepeat -= r;
            scaled -= rs;
        }
        List<BlockRow> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            for (int k = 0; k < reps[i]; k++) {
                out.add(rows.get(i));
            }
        }
        return out;
    }

    private Block makeBlock(BlockRow row, int stride) {
        int in = inChannels;
        int out = round(row.channels());
        Activation act = row.act() != null ? row.act() : cfg.act();
        int k = row.kernel();
        Block block;
        switch (row.type()) {
            case DS:
            case DSA: {
                boolean skip = stride == 1 && in == out && !row.noskip();
                Conv2d dw = new Conv2d(in, in, k, stride, 1, in, padding(k, stride), false);
                BatchNorm2d bn1 = new BatchNorm2d(in, cfg.bnEps(), act);
                SqueezeExcite se = squeezeExcite(row, in, act);
                Conv2d pw = new Conv2d(in, out, 1, 1, 1, 1, padding(1, 1), false);
                BatchNorm2d bn2 = new BatchNorm2d(out, cfg.bnEps(),
                        row.type() == BlockType.DSA ? act : Activation.IDENTITY);
                block = new DepthwiseSeparableConv(row.type(), in, out, skip, dw, bn1, se, pw, bn2);
                break;
            }
            case IR: {
                boolean skip = stride == 1 && in == out && !row.noskip();
                int mid = Channels.makeDivisible(in * row.expansion());
                Conv2d pw = new Conv2d(in, mid, 1, 1, 1, 1, padding(1, 1), false);
                BatchNorm2d bn1 = new BatchNorm2d(mid, cfg.bnEps(), act);
                Conv2d dw = new Conv2d(mid, mid, k, stride, 1, mid, padding(k, stride), false);
                BatchNorm2d bn2 = new BatchNorm2d(mid, cfg.bnEps(), act);
                SqueezeExcite se = squeezeExcite(row, mid, act);
                Conv2d pwl = new Conv2d(mid, out, 1, 1, 1, 1, padding(1, 1), false);
                BatchNorm2d bn3 = new BatchNorm2d(out, cfg.bnEps(), Activation.IDENTITY);
                block = new InvertedResidual(in, out, skip, pw, bn1, dw, bn2, se, pwl, bn3);
                break;
            }
            case CN: {
                Conv2d conv = new Conv2d(in, out, k, stride, 1, 1, padding(k, stride), false);
                block = new ConvBnAct(in, out, false, conv, new BatchNorm2d(out, cfg.bnEps(), act));
                break;
            }
            default:
                throw new AssertionError(row.type());
        }
        inChannels = out;
        return block;
    }

    /** SE channels come from the block's mid channels (timm's se_from_exp for MobileNetV3). */
    private SqueezeExcite squeezeExcite(BlockRow row, int channels, Activation blockAct) {
        if (row.seRatio() <= 0) {
            return null;
        }
        double v = channels * row.seRatio();
        int reduced = cfg.seRoundToDivisor() ? Channels.makeDivisible(v) : Channels.pythonRound(v);
        Activation act = cfg.seForcedAct() != null ? cfg.seForcedAct() : blockAct;
        return new SqueezeExcite(channels, reduced, act, Activation.HARD_SIGMOID);
    }
}
