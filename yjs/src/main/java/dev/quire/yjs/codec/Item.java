package dev.quire.yjs.codec;

/**
 * An inserted piece of content with its position (origin / right origin) and its parent.
 *
 * <p>When neither origin is set, the parent is written: a root type's name ({@link String}) or the
 * {@link ID} of the item that holds the parent type, plus the map key ({@code parentSub}) if any.
 * With an origin the receiver copies parent and key from the neighbour, so decoded items then
 * have {@code parent == null} and {@code parentSub == null}.
 */
public final class Item extends Struct {
    /** Info bit: an origin (left neighbour at insertion time) follows. */
    public static final int HAS_ORIGIN = 0x80;
    /** Info bit: a right origin follows. */
    public static final int HAS_RIGHT_ORIGIN = 0x40;
    /** Info bit: the item has a map key (written only when no origin is present). */
    public static final int HAS_PARENT_SUB = 0x20;
    /** Mask of the content ref in the info byte. */
    public static final int CONTENT_REF_MASK = 0x1F;

    public final ID origin;
    public final ID rightOrigin;
    /** A root type name ({@link String}), the parent's {@link ID}, or {@code null} (copied from a neighbour). */
    public final Object parent;
    public final String parentSub;
    public final Content content;

    public Item(long client, long clock, ID origin, ID rightOrigin, Object parent, String parentSub, Content content) {
        super(client, clock);
        this.origin = origin;
        this.rightOrigin = rightOrigin;
        this.parent = parent;
        this.parentSub = parentSub;
        this.content = content;
    }

    @Override
    public long length() {
        return content.length();
    }

    @Override
    public void write(UpdateEncoder encoder, long offset) {
        ID o = offset > 0 ? new ID(client, clock + offset - 1) : origin;
        int info = (content.ref() & CONTENT_REF_MASK)
                | (o == null ? 0 : HAS_ORIGIN)
                | (rightOrigin == null ? 0 : HAS_RIGHT_ORIGIN)
                | (parentSub == null ? 0 : HAS_PARENT_SUB);
        encoder.writeInfo(info);
        if (o != null) {
            encoder.writeLeftId(o.client(), o.clock());
        }
        if (rightOrigin != null) {
            encoder.writeRightId(rightOrigin.client(), rightOrigin.clock());
        }
        if (o == null && rightOrigin == null) {
            if (parent instanceof String name) {
                encoder.writeParentInfo(true);
                encoder.writeString(name);
            } else if (parent instanceof ID id) {
                encoder.writeParentInfo(false);
                encoder.writeLeftId(id.client(), id.clock());
            } else {
                throw new IllegalStateException("item " + id() + " has neither origins nor a parent");
            }
            if (parentSub != null) {
                encoder.writeString(parentSub);
            }
        }
        content.write(encoder, offset);
    }

    @Override
    public Item sliceFrom(long diff) {
        return new Item(client, clock + diff, new ID(client, clock + diff - 1), rightOrigin, parent, parentSub,
                content.right(diff));
    }

    @Override
    public String toString() {
        return "Item(" + client + ":" + clock + ", " + content + ")";
    }
}
