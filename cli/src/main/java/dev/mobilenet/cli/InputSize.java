package dev.mobilenet.cli;

import dev.mobilenet.MobileNetException;
import picocli.CommandLine;

/** An input size given as {@code 224}, {@code 193x171} or {@code 193,171} (height, width). */
record InputSize(int height, int width) {
    static final class Converter implements CommandLine.ITypeConverter<InputSize> {
        @Override
        public InputSize convert(String value) {
            String[] parts = value.toLowerCase().split("[x,]", -1);
            try {
                if (parts.length == 1) {
                    int s = Integer.parseInt(parts[0].trim());
                    return new InputSize(s, s);
                }
                if (parts.length == 2) {
                    return new InputSize(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
                }
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
            throw new CommandLine.TypeConversionException("input size must be N, HxW or H,W, got '" + value + "'");
        }
    }

    void check() {
        if (height < dev.mobilenet.model.MobileNet.MIN_INPUT_SIZE || width < dev.mobilenet.model.MobileNet.MIN_INPUT_SIZE) {
            throw new MobileNetException("input size " + height + "x" + width + " is smaller than the minimum 32x32");
        }
    }
}
