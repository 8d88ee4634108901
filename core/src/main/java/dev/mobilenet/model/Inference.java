package dev.mobilenet.model;

import dev.mobilenet.arch.HeadStyle;
import dev.mobilenet.kernels.Activation;
import dev.mobilenet.nn.Block;
import dev.mobilenet.nn.Step;
import java.util.ArrayList;
import java.util.List;

/**
 * A compiled, eval-mode network: BatchNorm folded into the convolutions, weights copied so later training does not
 * disturb it. Immutable and shareable between threads; each thread runs it through its own {@link Session}.
 */
public final class Inference {
    final MobileNet model;
    final FusedConv stem;
    final FusedBlock[] blocks;
    /** V1/V2 head conv (+bn2, act) before pooling; null when absent. */
    final FusedConv headConv;
    /** V3 head conv on the pooled vector: weights [hidden][features] and bias, then {@link #headAct}. */
    final float[] headW;
    final float[] headB;
    final Activation headAct;
    final float[] clsW;
    final float[] clsB;
    final int[] featureBlocks;
    final boolean stemFeature;

    Inference(MobileNet m) {
        this.model = m;
        this.stem = FusedConv.fold(m.convStem, m.bn1, null);
        List<Block> flat = m.flatBlocks();
        this.blocks = new FusedBlock[flat.size()];
        for (int i = 0; i < flat.size(); i++) {
            List<Step> steps = flat.get(i).steps();
            Object[] fused = new Object[steps.size()];
            for (int s = 0; s < steps.size(); s++) {
                Step st = steps.get(s);
                fused[s] = st instanceof Step.ConvBn
                        ? FusedConv.fold(((Step.ConvBn) st).conv(), ((Step.ConvBn) st).bn(), null)
                        : new FusedBlock.Se(((Step.Se) st).se());
            }
            blocks[i] = new FusedBlock(fused, flat.get(i).hasSkip());
        }
        if (m.headStyle() == HeadStyle.CONV_BN_POOL) {
            this.headConv = m.convHead == null ? null : FusedConv.fold(m.convHead, m.bn2, null);
            this.headW = null;
            this.headB = null;
            this.headAct = null;
        } else {
            this.headConv = null;
            this.headW = m.convHead.weight.clone();
            this.headB = m.convHead.bias == null ? new float[m.convHead.outChannels] : m.convHead.bias.clone();
            this.headAct = m.headActivation();
        }
        this.clsW = m.classifier == null ? null : m.classifier.weight.clone();
        this.clsB = m.classifier == null ? null : m.classifier.bias.clone();
        List<FeatureInfo> fi = m.featureInfo();
        this.stemFeature = !fi.isEmpty() && fi.get(0).blockIndex() < 0;
        List<Integer> fb = new ArrayList<>();
        for (FeatureInfo f : fi) {
            if (f.blockIndex() >= 0) {
                fb.add(f.blockIndex());
            }
        }
        this.featureBlocks = fb.stream().mapToInt(Integer::intValue).toArray();
    }

    public MobileNet model() {
        return model;
    }

    /** A new session with its own buffers; use one per thread. */
    public Session newSession() {
        return new Session(this);
    }
}
