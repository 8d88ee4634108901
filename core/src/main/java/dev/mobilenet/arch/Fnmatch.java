package dev.mobilenet.arch;

import java.util.regex.Pattern;

/** Shell-style patterns as Python's {@code fnmatch} reads them: {@code * ? [seq] [!seq]}, case-sensitive. */
public final class Fnmatch {
    private Fnmatch() {
    }

    public static Pattern compile(String pattern) {
        StringBuilder re = new StringBuilder();
        int i = 0;
        int n = pattern.length();
        while (i < n) {
            char c = pattern.charAt(i++);
            if (c == '*') {
                re.append(".*");
            } else if (c == '?') {
                re.append('.');
            } else if (c == '[') {
                int j = i;
                if (j < n && pattern.charAt(j) == '!') {
                    j++;
                }
                if (j < n && pattern.charAt(j) == ']') {
                    j++;
                }
                while (j < n && pattern.charAt(j) != ']') {
                    j++;
                }
                if (j >= n) {
                    re.append("\\[");
                } else {
                    String body = pattern.substring(i, j);
                    i = j + 1;
                    StringBuilder set = new StringBuilder("[");
                    int k = 0;
                    if (body.startsWith("!")) {
                        set.append('^');
                        k = 1;
                    }
                    for (; k < body.length(); k++) {
                        char b = body.charAt(k);
                        if (b == '\\' || b == '[' || b == ']' || b == '&' || b == '~' || b == '|' || b == '^') {
                            set.append('\\');
                        }
                        set.append(b);
                    }
                    re.append(set).append(']');
                }
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    public static boolean matches(String pattern, String name) {
        return compile(pattern).matcher(name).matches();
    }
}
