package dev.mobilenet.arch;

import static dev.mobilenet.arch.BlockRow.cn;
import static dev.mobilenet.arch.BlockRow.ds;
import static dev.mobilenet.arch.BlockRow.dsa;
import static dev.mobilenet.arch.BlockRow.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * The architecture tables, one per architecture, in paper order, at width 1.0. Each row's comment gives
 * its input at 224x224. These are the papers' tables as timm encodes them; the stem and head live in
 * {@link Architectures}.
 */
public final class Tables {
    private Tables() {
    }

    /** MobileNetV1 (Howard et al. 2017), Table 1; the stem is a 3x3/2 conv to 32 channels. */
    public static final List<Stage> MOBILENET_V1 = List.of(
            Stage.of(dsa(1, 3, 1, 64)),         // 112x112x32
            Stage.of(dsa(2, 3, 2, 128)),        // 112x112x64
            Stage.of(dsa(2, 3, 2, 256)),        // 56x56x128
            Stage.of(dsa(6, 3, 2, 512)),        // 28x28x256
            Stage.of(dsa(2, 3, 2, 1024)));      // 14x14x512

    /** MobileNetV2 (Sandler et al. 2018), Table 2; the stem is a 3x3/2 conv to 32 channels. */
    public static final List<Stage> MOBILENET_V2 = List.of(
            Stage.of(ds(1, 3, 1, 16)),          // 112x112x32
            Stage.of(ir(2, 3, 2, 6, 24)),       // 112x112x16
            Stage.of(ir(3, 3, 2, 6, 32)),       // 56x56x24
            Stage.of(ir(4, 3, 2, 6, 64)),       // 28x28x32
            Stage.of(ir(3, 3, 1, 6, 96)),       // 14x14x64
            Stage.of(ir(3, 3, 2, 6, 160)),      // 14x14x96
            Stage.of(ir(1, 3, 1, 6, 320)));     // 7x7x160

    /** MobileNetV3-Large (Howard et al. 2019), Table 1; stem 3x3/2 to 16, hard-swish by default. */
    public static final List<Stage> MOBILENET_V3_LARGE = List.of(
            Stage.of(ds(1, 3, 1, 16).relu()),                               // 112x112x16
            Stage.of(ir(1, 3, 2, 4, 24).relu(), ir(1, 3, 1, 3, 24).relu()), // 112x112x16
            Stage.of(ir(3, 5, 2, 3, 40).se(0.25).relu()),                   // 56x56x24
            Stage.of(ir(1, 3, 2, 6, 80), ir(1, 3, 1, 2.5, 80),
                    ir(2, 3, 1, 2.3, 80)),                                  // 28x28x40
            Stage.of(ir(2, 3, 1, 6, 112).se(0.25)),                         // 14x14x80
            Stage.of(ir(3, 5, 2, 6, 160).se(0.25)),                         // 14x14x112
            Stage.of(cn(1, 1, 1, 960)));                                    // 7x7x160

    /** MobileNetV3-Large minimalistic: Large's table without SE, hard-swish or 5x5 kernels. */
    public static final List<Stage> MOBILENET_V3_LARGE_MINIMAL = minimal(MOBILENET_V3_LARGE);

    /** MobileNetV3-Small (Howard et al. 2019), Table 2; stem 3x3/2 to 16, hard-swish by default. */
    public static final List<Stage> MOBILENET_V3_SMALL = List.of(
            Stage.of(ds(1, 3, 2, 16).se(0.25).relu()),                      // 112x112x16
            Stage.of(ir(1, 3, 2, 4.5, 24).relu(), ir(1, 3, 1, 3.67, 24).relu()), // 56x56x16
            Stage.of(ir(1, 5, 2, 4, 40).se(0.25), ir(2, 5, 1, 6, 40).se(0.25)),  // 28x28x24
            Stage.of(ir(2, 5, 1, 3, 48).se(0.25)),                          // 14x14x40
            Stage.of(ir(3, 5, 2, 6, 96).se(0.25)),                          // 14x14x48
            Stage.of(cn(1, 1, 1, 576)));                                    // 7x7x96

    /** MobileNetV3-Small minimalistic: Small's table without SE, hard-swish or 5x5 kernels. */
    public static final List<Stage> MOBILENET_V3_SMALL_MINIMAL = minimal(MOBILENET_V3_SMALL);

    /**
     * timm's own early MobileNetV3-Large ({@code mobilenetv3_rw}): Large's table, but the first block has no
     * residual. Its generator's choices differ too (SE uses the block's activation and plain rounding, the head
     * conv has no bias).
     */
    public static final List<Stage> MOBILENET_V3_RW = withoutFirstResidual(MOBILENET_V3_LARGE);

    private static List<Stage> withoutFirstResidual(List<Stage> table) {
        List<BlockRow> first = new ArrayList<>(table.get(0).rows());
        first.set(0, first.get(0).noSkip());
        List<Stage> out = new ArrayList<>(table);
        out.set(0, new Stage(first));
        return List.copyOf(out);
    }

    private static List<Stage> minimal(List<Stage> table) {
        return table.stream().map(st -> new Stage(st.rows().stream().map(BlockRow::minimal).toList())).toList();
    }
}
