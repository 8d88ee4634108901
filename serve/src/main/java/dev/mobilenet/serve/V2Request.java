package dev.mobilenet.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.mobilenet.model.MobileNet;
import java.io.IOException;
import java.util.Arrays;

/**
 * An Open Inference Protocol v2 infer request, read as a token stream (a tree of a large tensor would cost tens of
 * bytes per number): one FP32 input of shape [N, 3, H, W] with its data flat or nested, an optional id, and
 * optional outputs, which may only ask for "logits". Anything else is a 400 with one line.
 */
record V2Request(String id, int n, int h, int w, float[] data) {
    /** The largest side accepted. */
    static final int MAX_SIDE = 4096;
    private static final JsonFactory JSON = new JsonFactory();
    private static final int MAX_DEPTH = 5;

    static V2Request parse(byte[] body) {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw bad("bad JSON: the request must be an object with \"inputs\"");
            }
            String id = null;
            Input in = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "id" -> {
                        if (t == JsonToken.VALUE_STRING) {
                            id = p.getText();
                        } else {
                            p.skipChildren();
                        }
                    }
                    case "inputs" -> {
                        expect(t, JsonToken.START_ARRAY, "\"inputs\" must be a list of exactly one tensor");
                        int count = 0;
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            if (++count > 1) {
                                throw bad("\"inputs\" must be a list of exactly one tensor");
                            }
                            in = input(p);
                        }
                    }
                    case "outputs" -> outputs(p, t);
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw bad("bad JSON: content after the request object");
            }
            if (in == null) {
                throw bad("\"inputs\" must be a list of exactly one tensor");
            }
            return in.check(id);
        } catch (JsonProcessingException e) {
            throw bad("bad JSON: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw bad("cannot read the request: " + e.getMessage());
        }
    }

    private static void outputs(JsonParser p, JsonToken t) throws IOException {
        expect(t, JsonToken.START_ARRAY, "\"outputs\" must be a list");
        while (p.nextToken() != JsonToken.END_ARRAY) {
            expect(p.currentToken(), JsonToken.START_OBJECT, "each output must be an object with a \"name\"");
            String name = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken v = p.nextToken();
                if (f.equals("name") && v == JsonToken.VALUE_STRING) {
                    name = p.getText();
                } else {
                    p.skipChildren();
                }
            }
            if (!"logits".equals(name)) {
                throw bad("unknown output " + (name == null ? "without a name" : "\"" + name + "\"")
                        + "; the output is \"logits\"");
            }
        }
    }

    /** The fields of one input, as read. */
    private static final class Input {
        String datatype;
        int[] shape;
        float[] data = new float[0];
        int size;

        V2Request check(String id) {
            if (!"FP32".equals(datatype)) {
                throw bad("the input's datatype must be \"FP32\", got " + (datatype == null ? "none" : datatype));
            }
            if (shape == null || shape.length != 4 || shape[0] < 1 || shape[1] != 3 || shape[2] < MobileNet.MIN_INPUT_SIZE
                    || shape[3] < MobileNet.MIN_INPUT_SIZE || shape[2] > MAX_SIDE || shape[3] > MAX_SIDE) {
                throw bad("the input's shape must be [N >= 1, 3, H, W] with " + MobileNet.MIN_INPUT_SIZE
                        + " <= H, W <= " + MAX_SIDE + ", got " + (shape == null ? "none" : Arrays.toString(shape)));
            }
            long count = (long) shape[0] * 3 * shape[2] * shape[3];
            if (count != size) {
                throw bad("\"data\" has " + size + " values; the shape needs " + count);
            }
            return new V2Request(id, shape[0], shape[2], shape[3], size == data.length ? data
                    : Arrays.copyOf(data, size));
        }
    }

    private static Input input(JsonParser p) throws IOException {
        expect(p.currentToken(), JsonToken.START_OBJECT, "each input must be an object");
        Input in = new Input();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken t = p.nextToken();
            switch (f) {
                case "datatype" -> in.datatype = t == JsonToken.VALUE_STRING ? p.getText() : t.asString();
                case "shape" -> in.shape = shape(p, t);
                case "data" -> data(p, t, in);
                default -> p.skipChildren();
            }
        }
        return in;
    }

    private static int[] shape(JsonParser p, JsonToken t) throws IOException {
        expect(t, JsonToken.START_ARRAY, "the input's shape must be a list of 4 whole numbers");
        int[] d = new int[4];
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || i == 4) {
                throw bad("the input's shape must be a list of 4 whole numbers");
            }
            long v = p.getLongValue();
            d[i++] = (int) Math.max(-1, Math.min(v, Integer.MAX_VALUE));
        }
        if (i != 4) {
            throw bad("the input's shape must be a list of 4 whole numbers");
        }
        return d;
    }

    /** Numbers of a flat or nested array, in order. */
    private static void data(JsonParser p, JsonToken t, Input in) throws IOException {
        expect(t, JsonToken.START_ARRAY, "\"data\" must be an array of numbers (flat or nested)");
        int depth = 1;
        while (depth > 0) {
            JsonToken k = p.nextToken();
            if (k == JsonToken.START_ARRAY) {
                if (++depth > MAX_DEPTH) {
                    throw bad("\"data\" is nested deeper than the shape");
                }
            } else if (k == JsonToken.END_ARRAY) {
                depth--;
            } else if (k == JsonToken.VALUE_NUMBER_INT || k == JsonToken.VALUE_NUMBER_FLOAT) {
                if (in.size == in.data.length) {
                    in.data = Arrays.copyOf(in.data, Math.max(1024, in.data.length * 2));
                }
                float v = p.getFloatValue();
                if (!Float.isFinite(v)) {
                    throw bad("\"data\" values must be finite float32 numbers, got " + p.getText());
                }
                in.data[in.size++] = v;
            } else {
                throw bad("\"data\" must be an array of numbers (flat or nested)");
            }
        }
    }

    private static void expect(JsonToken got, JsonToken want, String message) {
        if (got != want) {
            throw bad(message);
        }
    }

    private static HttpError bad(String message) {
        return new HttpError(400, message);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
