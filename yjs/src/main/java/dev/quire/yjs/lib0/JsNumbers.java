package dev.quire.yjs.lib0;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** JavaScript number rules that lib0 and {@code JSON.stringify} depend on. */
public final class JsNumbers {
    private JsNumbers() {
    }

    /** {@code Number.isInteger(d) && Math.abs(d) <= 0x7FFFFFFF}: the case lib0 writes as a varInt. */
    public static boolean isInt32Magnitude(double d) {
        return d == Math.rint(d) && Math.abs(d) <= 0x7FFFFFFF;
    }

    /** True when {@code d} survives a float32 round trip (never for NaN). */
    public static boolean isFloat32(double d) {
        return (double) (float) d == d;
    }

    /** lib0's {@code isNegativeZero}-aware sign: true for negative numbers and -0. */
    public static boolean isNegative(double d) {
        return d < 0 || (d == 0 && 1 / d < 0);
    }

    /** JavaScript truthiness of a value of the {@code any} model. */
    public static boolean truthy(Object v) {
        if (v == null || v == Undefined.UNDEFINED) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof java.math.BigInteger bi) {
            return bi.signum() != 0;
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return d != 0 && !Double.isNaN(d);
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        return true;
    }

    /** {@code Number.prototype.toString()} (radix 10): shortest round-trip digits, JS exponent rules. */
    public static String toJsString(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (d == 0) {
            return "0";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d < 0) {
            return "-" + toJsString(-d);
        }
        if (d == Math.rint(d) && d <= 9007199254740992.0) {
            return Long.toString((long) d); // exact integers print all their digits
        }
        BigDecimal exact = new BigDecimal(d);
        BigDecimal shortest = null;
        for (int p = 1; p <= 17; p++) {
            BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (r.doubleValue() == d) {
                shortest = r;
                break;
            }
        }
        if (shortest == null) {
            shortest = exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
        }
        String digits = shortest.unscaledValue().abs().toString();
        // strip trailing zeros of the digit string (unscaled value may carry them)
        int k = digits.length();
        int scale = shortest.scale();
        while (k > 1 && digits.charAt(k - 1) == '0') {
            k--;
            scale--;
        }
        digits = digits.substring(0, k);
        int n = k - scale; // value = digits * 10^(n-k)
        StringBuilder sb = new StringBuilder();
        if (k <= n && n <= 21) {
            sb.append(digits);
            sb.append("0".repeat(n - k));
        } else if (0 < n && n <= 21) {
            sb.append(digits, 0, n).append('.').append(digits, n, k);
        } else if (-6 < n && n <= 0) {
            sb.append("0.").append("0".repeat(-n)).append(digits);
        } else {
            int e = n - 1;
            sb.append(digits.charAt(0));
            if (k > 1) {
                sb.append('.').append(digits, 1, k);
            }
            sb.append('e').append(e >= 0 ? '+' : '-').append(Math.abs(e));
        }
        return sb.toString();
    }
}
