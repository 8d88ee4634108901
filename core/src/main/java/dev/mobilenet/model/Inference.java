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
        this.stem = FusedConv.fold("conv_stem", m.convStem, m.bn1, null, true);
        List<FusedBlock> fb = new ArrayList<>();
        for (int i = 0; i < m.blocks.size(); i++) {
            for (int j = 0; j < m.blocks.get(i).size(); j++) {
                Block block = m.blocks.get(i).get(j);
                String prefix = "blocks." + i + "." + j;
                List<Step> steps = block.steps();
                FusedStep[] fused = new FusedStep[steps.size()];
                for (int s = 0; s < steps.size(); s++) {
                    Step st = steps.get(s);
                    String name = prefix + "." + st.name();
                    fused[s] = st instanceof Step.ConvBn
                            ? FusedConv.fold(name, ((Step.ConvBn) st).conv(), ((Step.ConvBn) st).bn(), null, false)
                            : new FusedSe(name, ((Step.Se) st).se());
                }
                fb.add(new FusedBlock(prefix, fused, block.hasSkip()));
            }
        }
        this.blocks = fb.toArray(new FusedBlock[0]);
        if (m.headStyle() == HeadStyle.CONV_BN_POOL) {
            this.headConv = m.convHead == null ? null : FusedConv.fold("conv_head", m.convHead, m.bn2, null, false);
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
        this.featureBlocks = fi.stream().mapToInt(FeatureInfo::blockIndex).filter(b -> b >= 0).toArray();
    }

    public MobileNet model() {
        return model;
    }

    /** conv_stem with bn1 folded in. */
    public FusedConv stem() {
        return stem;
    }

    /** Every block, flattened over stages. */
    public List<FusedBlock> blocks() {
        return List.of(blocks);
    }

    /** V1/V2's conv_head with bn2 folded in, applied before pooling; null for V3 or when absent. */
    public FusedConv headConv() {
        return headConv;
    }

    /** V3's conv_head applied to the pooled vector, weights [hidden][features]; null for V1/V2. */
    public float[] headWeight() {
        return headW;
    }

    public float[] headBias() {
        return headB;
    }

    /** V3's activation after conv_head (timm act2); null for V1/V2. */
    public Activation headActivation() {
        return headAct;
    }

    /** Classifier weights [classes][head_hidden_size], or null without a classifier. */
    public float[] classifierWeight() {
        return clsW;
    }

    public float[] classifierBias() {
        return clsB;
    }

    /** A new single-threaded session with its own buffers; use one per calling thread. */
    public Session newSession() {
        return new Session(this, 1);
    }

    /**
     * A new session that runs each call on {@code threads} threads (the caller's and {@code threads - 1} workers);
     * close it to stop the workers.
     */
    public Session newSession(int threads) {
        return new Session(this, threads);
    }
}
