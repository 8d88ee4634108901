package dev.mobilenet.cli;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.arch.Registry;
import dev.mobilenet.model.MobileNet;
import java.util.Locale;
import picocli.CommandLine;

/** An input size given as {@code 224}, {@code 193x171} or {@code 193,171} (height, width). */
record InputSize(int height, int width) {
    /** The largest side accepted: one 8192x8192 float32 input alone takes 805 MB. */
    static final int MAX_SIDE = 8192;

    static final class Converter implements CommandLine.ITypeConverter<InputSize> {
        @Override
        public InputSize convert(String value) {
            String[] parts = value.toLowerCase(Locale.ROOT).split("[x,]", -1);
            InputSize size = null;
            try {
                if (parts.length == 1) {
                    int s = Integer.parseInt(parts[0].trim());
                    size = new InputSize(s, s);
                } else if (parts.length == 2) {
                    size = new InputSize(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
                }
            } catch (NumberFormatException e) {
                size = null;
            }
            if (size == null) {
                throw new CommandLine.TypeConversionException("input size must be N, HxW or H,W, got '" + value + "'");
            }
            // A usage mistake like a malformed value: exit code 2, as picocli gives for 'abc'.
            if (size.height < MobileNet.MIN_INPUT_SIZE || size.width < MobileNet.MIN_INPUT_SIZE
                    || size.height > MAX_SIDE || size.width > MAX_SIDE) {
                throw new CommandLine.TypeConversionException("input size " + size.height + "x" + size.width
                        + ": must be at least " + MobileNet.MIN_INPUT_SIZE + "x" + MobileNet.MIN_INPUT_SIZE
                        + " and at most " + MAX_SIDE + "x" + MAX_SIDE);
            }
            return size;
        }
    }

    /** {@code given}, else the side of the model's pretrained config, else 224, as a square. */
    static InputSize orDefault(InputSize given, Registry.ModelRef ref) {
        if (given != null) {
            return given;
        }
        int side = ref.pretrained().map(p -> p.preprocess().height()).orElse(224);
        return new InputSize(side, side);
    }

    void check() {
        if (height < MobileNet.MIN_INPUT_SIZE || width < MobileNet.MIN_INPUT_SIZE) {
            throw new MobileNetException("input size " + height + "x" + width + " is smaller than the minimum 32x32");
        }
    }
}
