package dev.quire.yjs.internal;

import java.util.Comparator;

/**
 * {@code Array.prototype.sort} exactly as V8 11 (Node 20) performs it: TimSort with binary insertion
 * for short runs, a minimum run length, run merging with galloping ({@code minGallop} starting at 7).
 *
 * <p>With a consistent comparator any stable sort gives the same result. yjs's {@code mergeUpdates}
 * comparator is not consistent (a GC and an Item at the same id are each "less" than the other), so the
 * order it produces depends on which pairs the algorithm compares and in which order; this class
 * reproduces V8's sequence of comparisons so that the result equals what yjs computes on Node.
 */
final class V8Sort<T> {
    private static final int MIN_GALLOP_WINS = 7;

    private final T[] a;
    private final Comparator<? super T> cmp;
    private int minGallop = MIN_GALLOP_WINS;
    private final int[] runBase = new int[85];
    private final int[] runLen = new int[85];
    private int stackSize;
    private Object[] tmp = new Object[32];

    private V8Sort(T[] a, Comparator<? super T> cmp) {
        this.a = a;
        this.cmp = cmp;
    }

    /** Sorts {@code a} in place as V8 does. */
    static <T> void sort(T[] a, int length, Comparator<? super T> cmp) {
        if (length < 2) {
            return;
        }
        new V8Sort<>(a, cmp).timSort(length);
    }

    private int compare(Object x, Object y) {
        @SuppressWarnings("unchecked")
        int c = cmp.compare((T) x, (T) y);
        return c;
    }

    private void timSort(int length) {
        int remaining = length;
        int low = 0;
        int minRun = minRunLength(remaining);
        while (remaining != 0) {
            int run = countAndMakeRun(low, low + remaining);
            if (run < minRun) {
                int forced = Math.min(minRun, remaining);
                binaryInsertionSort(low, low + run, low + forced);
                run = forced;
            }
            runBase[stackSize] = low;
            runLen[stackSize] = run;
            stackSize++;
            mergeCollapse();
            low += run;
            remaining -= run;
        }
        mergeForceCollapse();
    }

    private static int minRunLength(int n) {
        int r = 0;
        while (n >= 64) {
            r |= n & 1;
            n >>= 1;
        }
        return n + r;
    }

    private void binaryInsertionSort(int low, int startArg, int high) {
        int start = low == startArg ? startArg + 1 : startArg;
        for (; start < high; ++start) {
            int left = low;
            int right = start;
            T pivot = a[right];
            while (left < right) {
                int mid = left + ((right - left) >> 1);
                if (compare(pivot, a[mid]) < 0) {
                    right = mid;
                } else {
                    left = mid + 1;
                }
            }
            System.arraycopy(a, left, a, left + 1, start - left);
            a[left] = pivot;
        }
    }

    private int countAndMakeRun(int lowArg, int high) {
        int low = lowArg + 1;
        if (low == high) {
            return 1;
        }
        int runLength = 2;
        boolean descending = compare(a[low], a[low - 1]) < 0;
        T previous = a[low];
        for (int idx = low + 1; idx < high; ++idx) {
            T current = a[idx];
            int order = compare(current, previous);
            if (descending ? order >= 0 : order < 0) {
                break;
            }
            previous = current;
            ++runLength;
        }
        if (descending) {
            for (int lo = lowArg, hi = lowArg + runLength - 1; lo < hi; lo++, hi--) {
                T t = a[lo];
                a[lo] = a[hi];
                a[hi] = t;
            }
        }
        return runLength;
    }

    private boolean invariantEstablished(int n) {
        if (n < 2) {
            return true;
        }
        return runLen[n - 2] > runLen[n - 1] + runLen[n];
    }

    private void mergeCollapse() {
        while (stackSize > 1) {
            int n = stackSize - 2;
            if (!invariantEstablished(n + 1) || !invariantEstablished(n)) {
                if (runLen[n - 1] < runLen[n + 1]) {
                    --n;
                }
                mergeAt(n);
            } else if (runLen[n] <= runLen[n + 1]) {
                mergeAt(n);
            } else {
                break;
            }
        }
    }

    private void mergeForceCollapse() {
        while (stackSize > 1) {
            int n = stackSize - 2;
            if (n > 0 && runLen[n - 1] < runLen[n + 1]) {
                --n;
            }
            mergeAt(n);
        }
    }

    private void mergeAt(int i) {
        int baseA = runBase[i];
        int lengthA = runLen[i];
        int baseB = runBase[i + 1];
        int lengthB = runLen[i + 1];
        runLen[i] = lengthA + lengthB;
        if (i == stackSize - 3) {
            runBase[i + 1] = runBase[i + 2];
            runLen[i + 1] = runLen[i + 2];
        }
        stackSize--;
        int k = gallopRight(a, a[baseB], baseA, lengthA, 0);
        baseA += k;
        lengthA -= k;
        if (lengthA == 0) {
            return;
        }
        lengthB = gallopLeft(a, a[baseA + lengthA - 1], baseB, lengthB, lengthB - 1);
        if (lengthB == 0) {
            return;
        }
        if (lengthA <= lengthB) {
            mergeLow(baseA, lengthA, baseB, lengthB);
        } else {
            mergeHigh(baseA, lengthA, baseB, lengthB);
        }
    }

    private int gallopLeft(Object[] arr, Object key, int base, int length, int hint) {
        int lastOfs = 0;
        int offset = 1;
        if (compare(arr[base + hint], key) < 0) {
            int maxOfs = length - hint;
            while (offset < maxOfs) {
                if (compare(arr[base + hint + offset], key) >= 0) {
                    break;
                }
                lastOfs = offset;
                offset = (offset << 1) + 1;
                if (offset <= 0) {
                    offset = maxOfs;
                }
            }
            if (offset > maxOfs) {
                offset = maxOfs;
            }
            lastOfs += hint;
            offset += hint;
        } else {
            int maxOfs = hint + 1;
            while (offset < maxOfs) {
                if (compare(arr[base + hint - offset], key) < 0) {
                    break;
                }
                lastOfs = offset;
                offset = (offset << 1) + 1;
                if (offset <= 0) {
                    offset = maxOfs;
                }
            }
            if (offset > maxOfs) {
                offset = maxOfs;
            }
            int t = lastOfs;
            lastOfs = hint - offset;
            offset = hint - t;
        }
        lastOfs++;
        while (lastOfs < offset) {
            int m = lastOfs + ((offset - lastOfs) >> 1);
            if (compare(arr[base + m], key) < 0) {
                lastOfs = m + 1;
            } else {
                offset = m;
            }
        }
        return offset;
    }

    private int gallopRight(Object[] arr, Object key, int base, int length, int hint) {
        int lastOfs = 0;
        int offset = 1;
        if (compare(key, arr[base + hint]) < 0) {
            int maxOfs = hint + 1;
            while (offset < maxOfs) {
                if (compare(key, arr[base + hint - offset]) >= 0) {
                    break;
                }
                lastOfs = offset;
                offset = (offset << 1) + 1;
                if (offset <= 0) {
                    offset = maxOfs;
                }
            }
            if (offset > maxOfs) {
                offset = maxOfs;
            }
            int t = lastOfs;
            lastOfs = hint - offset;
            offset = hint - t;
        } else {
            int maxOfs = length - hint;
            while (offset < maxOfs) {
                if (compare(key, arr[base + hint + offset]) < 0) {
                    break;
                }
                lastOfs = offset;
                offset = (offset << 1) + 1;
                if (offset <= 0) {
                    offset = maxOfs;
                }
            }
            if (offset > maxOfs) {
                offset = maxOfs;
            }
            lastOfs += hint;
            offset += hint;
        }
        lastOfs++;
        while (lastOfs < offset) {
            int m = lastOfs + ((offset - lastOfs) >> 1);
            if (compare(key, arr[base + m]) < 0) {
                offset = m;
            } else {
                lastOfs = m + 1;
            }
        }
        return offset;
    }

    private Object[] tempArray(int size) {
        if (tmp.length < size) {
            tmp = new Object[Math.max(32, size)];
        }
        return tmp;
    }

    @SuppressWarnings("unchecked")
    private void mergeLow(int baseA, int lengthA, int baseB, int lengthB) {
        Object[] t = tempArray(lengthA);
        System.arraycopy(a, baseA, t, 0, lengthA);
        int dest = baseA;
        int cursorTemp = 0;
        int cursorB = baseB;
        a[dest++] = a[cursorB++];
        outer:
        {
            if (--lengthB == 0) {
                break outer; // succeed
            }
            if (lengthA == 1) {
                copyB(t, cursorTemp, cursorB, dest, lengthB);
                return;
            }
            int mg = minGallop;
            while (true) {
                int winsA = 0;
                int winsB = 0;
                while (true) {
                    if (compare(a[cursorB], t[cursorTemp]) < 0) {
                        a[dest++] = a[cursorB++];
                        ++winsB;
                        --lengthB;
                        winsA = 0;
                        if (lengthB == 0) {
                            break outer;
                        }
                        if (winsB >= mg) {
                            break;
                        }
                    } else {
                        a[dest++] = (T) t[cursorTemp++];
                        ++winsA;
                        --lengthA;
                        winsB = 0;
                        if (lengthA == 1) {
                            copyB(t, cursorTemp, cursorB, dest, lengthB);
                            return;
                        }
                        if (winsA >= mg) {
                            break;
                        }
                    }
                }
                ++mg;
                boolean first = true;
                while (winsA >= MIN_GALLOP_WINS || winsB >= MIN_GALLOP_WINS || first) {
                    first = false;
                    mg = Math.max(1, mg - 1);
                    minGallop = mg;
                    winsA = gallopRight(t, a[cursorB], cursorTemp, lengthA, 0);
                    if (winsA > 0) {
                        System.arraycopy(t, cursorTemp, a, dest, winsA);
                        dest += winsA;
                        cursorTemp += winsA;
                        lengthA -= winsA;
                        if (lengthA == 1) {
                            copyB(t, cursorTemp, cursorB, dest, lengthB);
                            return;
                        }
                        if (lengthA == 0) {
                            break outer;
                        }
                    }
                    a[dest++] = a[cursorB++];
                    if (--lengthB == 0) {
                        break outer;
                    }
                    winsB = gallopLeft(a, t[cursorTemp], cursorB, lengthB, 0);
                    if (winsB > 0) {
                        System.arraycopy(a, cursorB, a, dest, winsB);
                        dest += winsB;
                        cursorB += winsB;
                        lengthB -= winsB;
                        if (lengthB == 0) {
                            break outer;
                        }
                    }
                    a[dest++] = (T) t[cursorTemp++];
                    if (--lengthA == 1) {
                        copyB(t, cursorTemp, cursorB, dest, lengthB);
                        return;
                    }
                }
                ++mg;
                minGallop = mg;
            }
        }
        // succeed
        if (lengthA > 0) {
            System.arraycopy(t, cursorTemp, a, dest, lengthA);
        }
    }

    @SuppressWarnings("unchecked")
    private void copyB(Object[] t, int cursorTemp, int cursorB, int dest, int lengthB) {
        System.arraycopy(a, cursorB, a, dest, lengthB);
        a[dest + lengthB] = (T) t[cursorTemp];
    }

    @SuppressWarnings("unchecked")
    private void mergeHigh(int baseA, int lengthA, int baseB, int lengthB) {
        Object[] t = tempArray(lengthB);
        System.arraycopy(a, baseB, t, 0, lengthB);
        int dest = baseB + lengthB - 1;
        int cursorTemp = lengthB - 1;
        int cursorA = baseA + lengthA - 1;
        a[dest--] = a[cursorA--];
        outer:
        {
            if (--lengthA == 0) {
                break outer;
            }
            if (lengthB == 1) {
                copyA(t, cursorTemp, cursorA, dest, lengthA);
                return;
            }
            int mg = minGallop;
            while (true) {
                int winsA = 0;
                int winsB = 0;
                while (true) {
                    if (compare(t[cursorTemp], a[cursorA]) < 0) {
                        a[dest--] = a[cursorA--];
                        ++winsA;
                        --lengthA;
                        winsB = 0;
                        if (lengthA == 0) {
                            break outer;
                        }
                        if (winsA >= mg) {
                            break;
                        }
                    } else {
                        a[dest--] = (T) t[cursorTemp--];
                        ++winsB;
                        --lengthB;
                        winsA = 0;
                        if (lengthB == 1) {
                            copyA(t, cursorTemp, cursorA, dest, lengthA);
                            return;
                        }
                        if (winsB >= mg) {
                            break;
                        }
                    }
                }
                ++mg;
                boolean first = true;
                while (winsA >= MIN_GALLOP_WINS || winsB >= MIN_GALLOP_WINS || first) {
                    first = false;
                    mg = Math.max(1, mg - 1);
                    minGallop = mg;
                    int k = gallopRight(a, t[cursorTemp], baseA, lengthA, lengthA - 1);
                    winsA = lengthA - k;
                    if (winsA > 0) {
                        dest -= winsA;
                        cursorA -= winsA;
                        System.arraycopy(a, cursorA + 1, a, dest + 1, winsA);
                        lengthA -= winsA;
                        if (lengthA == 0) {
                            break outer;
                        }
                    }
                    a[dest--] = (T) t[cursorTemp--];
                    if (--lengthB == 1) {
                        copyA(t, cursorTemp, cursorA, dest, lengthA);
                        return;
                    }
                    k = gallopLeft(t, a[cursorA], 0, lengthB, lengthB - 1);
                    winsB = lengthB - k;
                    if (winsB > 0) {
                        dest -= winsB;
                        cursorTemp -= winsB;
                        System.arraycopy(t, cursorTemp + 1, a, dest + 1, winsB);
                        lengthB -= winsB;
                        if (lengthB == 1) {
                            copyA(t, cursorTemp, cursorA, dest, lengthA);
                            return;
                        }
                        if (lengthB == 0) {
                            break outer;
                        }
                    }
                    a[dest--] = a[cursorA--];
                    if (--lengthA == 0) {
                        break outer;
                    }
                }
                ++mg;
                minGallop = mg;
            }
        }
        // succeed
        if (lengthB > 0) {
            System.arraycopy(t, 0, a, dest - (lengthB - 1), lengthB);
        }
    }

    @SuppressWarnings("unchecked")
    private void copyA(Object[] t, int cursorTemp, int cursorA, int dest, int lengthA) {
        dest -= lengthA;
        cursorA -= lengthA;
        System.arraycopy(a, cursorA + 1, a, dest + 1, lengthA);
        a[dest] = (T) t[cursorTemp];
    }
}
