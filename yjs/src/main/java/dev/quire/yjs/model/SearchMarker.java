package dev.quire.yjs.model;

import java.util.List;

/**
 * A remembered (item, index) position in a list type, so that local edits near earlier edits do not
 * walk the list from its start. Port of yjs's {@code ArraySearchMarker}; markers never change what is
 * encoded, only how fast positions are found.
 */
final class SearchMarker {
    private static final int MAX_SEARCH_MARKER = 80;
    private static final java.util.concurrent.atomic.AtomicLong GLOBAL_TIMESTAMP = new java.util.concurrent.atomic.AtomicLong();

    Item p;
    long index;
    long timestamp;

    SearchMarker(Item p, long index) {
        p.marker(true);
        this.p = p;
        this.index = index;
        this.timestamp = GLOBAL_TIMESTAMP.getAndIncrement();
    }

    private void refreshTimestamp() {
        timestamp = GLOBAL_TIMESTAMP.getAndIncrement();
    }

    private void overwrite(Item p, long index) {
        this.p.marker(false);
        this.p = p;
        p.marker(true);
        this.index = index;
        this.timestamp = GLOBAL_TIMESTAMP.getAndIncrement();
    }

    private static SearchMarker markPosition(List<SearchMarker> markers, Item p, long index) {
        if (markers.size() >= MAX_SEARCH_MARKER) {
            SearchMarker oldest = markers.get(0);
            for (SearchMarker m : markers) {
                if (!(oldest.timestamp < m.timestamp)) {
                    oldest = m;
                }
            }
            oldest.overwrite(p, index);
            return oldest;
        }
        SearchMarker pm = new SearchMarker(p, index);
        markers.add(pm);
        return pm;
    }

    /** yjs {@code findMarker}: a marker at or near {@code index}, or null. */
    static SearchMarker find(AbstractType type, long index) {
        if (type.start == null || index == 0 || type.searchMarker == null) {
            return null;
        }
        SearchMarker marker = null;
        for (SearchMarker m : type.searchMarker) {
            // as JavaScript's reduce((a, b) => |i - a| < |i - b| ? a : b): ties go to the later marker
            if (marker == null || !(Math.abs(index - marker.index) < Math.abs(index - m.index))) {
                marker = m;
            }
        }
        Item p = type.start;
        long pindex = 0;
        if (marker != null) {
            p = marker.p;
            pindex = marker.index;
            marker.refreshTimestamp();
        }
        while (p.right != null && pindex < index) {
            if (!p.deleted() && p.countable()) {
                if (index < pindex + p.length) {
                    break;
                }
                pindex += p.length;
            }
            p = p.right;
        }
        while (p.left != null && pindex > index) {
            p = p.left;
            if (!p.deleted() && p.countable()) {
                pindex -= p.length;
            }
        }
        // go to the start of a run of one client, so the marker survives merges
        while (p.left != null && p.left.client == p.client && p.left.clock + p.left.length == p.clock) {
            p = p.left;
            if (!p.deleted() && p.countable()) {
                pindex -= p.length;
            }
        }
        if (marker != null && Math.abs(marker.index - pindex) < (double) ((AbstractType) p.parent).length / MAX_SEARCH_MARKER) {
            marker.overwrite(p, pindex);
            return marker;
        }
        return markPosition(type.searchMarker, p, pindex);
    }

    /** yjs {@code updateMarkerChanges}: shifts markers after an insert ({@code len > 0}) or delete. */
    static void updateChanges(List<SearchMarker> markers, long index, long len) {
        for (int i = markers.size() - 1; i >= 0; i--) {
            SearchMarker m = markers.get(i);
            if (len > 0) {
                Item p = m.p;
                p.marker(false);
                while (p != null && (p.deleted() || !p.countable())) {
                    p = p.left;
                    if (p != null && !p.deleted() && p.countable()) {
                        m.index -= p.length;
                    }
                }
                if (p == null || p.marker()) {
                    markers.remove(i);
                    continue;
                }
                m.p = p;
                p.marker(true);
            }
            if (index < m.index || (len > 0 && index == m.index)) {
                m.index = Math.max(index, m.index + len);
            }
        }
    }
}
