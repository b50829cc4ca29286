package dev.roboflare.agent.trust;

import java.util.Comparator;

/** SemVer 2.0.0 precedence (build metadata ignored). Versions that are not SemVer compare as lowest. */
final class VersionOrder implements Comparator<String> {
    static final VersionOrder SEMVER = new VersionOrder();

    @Override
    public int compare(String a, String b) {
        String[] x = core(a);
        String[] y = core(b);
        for (int i = 0; i < 3; i++) {
            int c = Long.compare(num(x[i]), num(y[i]));
            if (c != 0) {
                return c;
            }
        }
        return comparePre(x[3], y[3]);
    }

    private static String[] core(String v) {
        String s = v == null ? "" : v.strip();
        int plus = s.indexOf('+');
        if (plus >= 0) {
            s = s.substring(0, plus);
        }
        String pre = null;
        int dash = s.indexOf('-');
        if (dash >= 0) {
            pre = s.substring(dash + 1);
            s = s.substring(0, dash);
        }
        String[] parts = s.split("\\.", -1);
        return new String[] {parts.length > 0 ? parts[0] : "", parts.length > 1 ? parts[1] : "",
                parts.length > 2 ? parts[2] : "", pre};
    }

    private static long num(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int comparePre(String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1; // a release ranks above its pre-releases
        }
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            boolean xn = x[i].matches("\\d+");
            boolean yn = y[i].matches("\\d+");
            int c = xn && yn ? Long.compare(Long.parseLong(x[i]), Long.parseLong(y[i]))
                    : xn ? -1 : yn ? 1 : x[i].compareTo(y[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }
}
