package dev.mobilenet.io;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parser for the small subset of Python literal syntax used in {@code .npy} headers: dicts,
 * tuples, lists, strings, integers (with an optional Python 2 {@code L} suffix), {@code True},
 * {@code False} and {@code None}. Dicts become {@link LinkedHashMap}s, tuples and lists become
 * {@link List}s, integers become {@link BigInteger}s. A parenthesised value without a comma is
 * the value itself, as in Python.
 */
final class PyLiteral {
    /** Thrown for any syntax error; the message says where. */
    static final class SyntaxError extends Exception {
        private static final long serialVersionUID = 1L;

        SyntaxError(String message) {
            super(message);
        }
    }

    private static final int MAX_DEPTH = 32;
    private static final int MAX_DIGITS = 40;

    private final String s;
    private int pos;
    private int depth;

    private PyLiteral(String s) {
        this.s = s;
    }

    /** Parses one literal; only whitespace may follow it. */
    static Object parse(String text) throws SyntaxError {
        PyLiteral p = new PyLiteral(text);
        Object v = p.value();
        p.skipSpace();
        if (p.pos < p.s.length()) {
            throw p.error("unexpected " + p.describeHere() + " after the value");
        }
        return v;
    }

    private SyntaxError error(String what) {
        return new SyntaxError(what + " at offset " + pos);
    }

    private String describeHere() {
        if (pos >= s.length()) {
            return "end of header";
        }
        char c = s.charAt(pos);
        if (c >= 0x21 && c < 0x7f) {
            return "'" + c + "'";
        }
        return String.format("character U+%04X", (int) c);
    }

    private void skipSpace() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b) {
                pos++;
            } else {
                break;
            }
        }
    }

    private boolean peekIs(char c) {
        skipSpace();
        return pos < s.length() && s.charAt(pos) == c;
    }

    private void expect(char c) throws SyntaxError {
        if (!peekIs(c)) {
            throw error("expected '" + c + "' but found " + describeHere());
        }
        pos++;
    }

    private Object value() throws SyntaxError {
        skipSpace();
        if (pos >= s.length()) {
            throw error("unexpected end of header");
        }
        char c = s.charAt(pos);
        if (c == '{' || c == '(' || c == '[') {
            if (++depth > MAX_DEPTH) {
                throw error("nesting too deep");
            }
            Object v = c == '{' ? dict() : sequence(c);
            depth--;
            return v;
        }
        if (c == '\'' || c == '"') {
            return string();
        }
        if (c == '-' || c == '+' || (c >= '0' && c <= '9')) {
            return integer();
        }
        if (Character.isLetter(c) || c == '_') {
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                pos++;
            }
            String word = s.substring(start, pos);
            switch (word) {
                case "True":
                    return Boolean.TRUE;
                case "False":
                    return Boolean.FALSE;
                case "None":
                    return null;
                default:
                    pos = start;
                    throw error("unexpected name " + IoSupport.quote(word));
            }
        }
        throw error("unexpected " + describeHere());
    }

    private Map<String, Object> dict() throws SyntaxError {
        pos++; // '{'
        Map<String, Object> map = new LinkedHashMap<>();
        while (true) {
            if (peekIs('}')) {
                pos++;
                return map;
            }
            Object key = value();
            if (!(key instanceof String k)) {
                throw error("dict key is not a string");
            }
            expect(':');
            map.put(k, value());
            if (peekIs(',')) {
                pos++;
            } else if (!peekIs('}')) {
                throw error("expected ',' or '}' but found " + describeHere());
            }
        }
    }

    private Object sequence(char open) throws SyntaxError {
        char close = open == '(' ? ')' : ']';
        pos++;
        List<Object> items = new ArrayList<>();
        boolean sawComma = false;
        while (true) {
            if (peekIs(close)) {
                pos++;
                break;
            }
            items.add(value());
            if (peekIs(',')) {
                pos++;
                sawComma = true;
            } else if (!peekIs(close)) {
                throw error("expected ',' or '" + close + "' but found " + describeHere());
            }
        }
        if (open == '(' && items.size() == 1 && !sawComma) {
            return items.get(0); // (x) is just x
        }
        return items;
    }

    private String string() throws SyntaxError {
        int start = pos;
        char quote = s.charAt(pos++);
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= s.length()) {
                pos = start;
                throw error("unterminated string");
            }
            char c = s.charAt(pos++);
            if (c == quote) {
                return sb.toString();
            }
            if (c == '\n' || c == '\r') {
                throw error("line break inside a string");
            }
            if (c == '\\') {
                if (pos >= s.length()) {
                    pos = start;
                    throw error("unterminated string");
                }
                char e = s.charAt(pos++);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case '0' -> sb.append('\0');
                    default -> sb.append(e);
                }
            } else {
                sb.append(c);
            }
            if (sb.length() > 4096) {
                throw error("string too long");
            }
        }
    }

    private BigInteger integer() throws SyntaxError {
        int start = pos;
        boolean negative = false;
        char c = s.charAt(pos);
        if (c == '-' || c == '+') {
            negative = c == '-';
            pos++;
            skipSpace();
        }
        int digitsStart = pos;
        while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
            pos++;
        }
        int digits = pos - digitsStart;
        if (digits == 0) {
            pos = start;
            throw error("malformed number");
        }
        if (digits > MAX_DIGITS) {
            pos = start;
            throw error("number too long");
        }
        String text = s.substring(digitsStart, pos);
        if (pos < s.length() && (s.charAt(pos) == 'L' || s.charAt(pos) == 'l')) {
            pos++; // Python 2 long literal, as old numpy wrote shapes
        }
        if (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '.'
                || s.charAt(pos) == '_')) {
            throw error("unsupported number syntax");
        }
        BigInteger v = new BigInteger(text);
        return negative ? v.negate() : v;
    }
}
