package dev.mobilenet.onnx;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A protobuf message built field by field with protobuf-java's wire encoder. Nested messages are built first and
 * embedded as length-delimited fields. Field numbers are ONNX's (see {@link OnnxWriter}).
 */
final class ProtoMessage {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CodedOutputStream out = CodedOutputStream.newInstance(bytes);

    /** One call on the encoder; it writes to memory, so an IOException would be a bug. */
    private interface Write {
        void to(CodedOutputStream out) throws IOException;
    }

    private ProtoMessage write(Write w) {
        try {
            w.to(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    ProtoMessage int64(int field, long value) {
        return write(o -> o.writeInt64(field, value));
    }

    ProtoMessage int32(int field, int value) {
        return write(o -> o.writeInt32(field, value));
    }

    ProtoMessage float32(int field, float value) {
        return write(o -> o.writeFloat(field, value));
    }

    ProtoMessage string(int field, String value) {
        return write(o -> o.writeString(field, value));
    }

    ProtoMessage bytes(int field, byte[] value) {
        return write(o -> o.writeByteArray(field, value));
    }

    ProtoMessage message(int field, ProtoMessage child) {
        return bytes(field, child.toByteArray());
    }

    byte[] toByteArray() {
        write(CodedOutputStream::flush);
        return bytes.toByteArray();
    }
}
