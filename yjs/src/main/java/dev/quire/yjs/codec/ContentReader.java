package dev.quire.yjs.codec;

import dev.quire.yjs.MalformedUpdateException.Reason;
import dev.quire.yjs.lib0.Lib0Reader;
import dev.quire.yjs.lib0.Undefined;
import java.util.ArrayList;
import java.util.List;

/** Reads an item's content by its ref (yjs {@code readItemContent} and the {@code readContent*} functions). */
public final class ContentReader {
    private ContentReader() {
    }

    /** Reads the content of kind {@code ref} (1..9); anything else is malformed. */
    public static Content read(UpdateDecoder d, int ref) {
        Lib0Reader rest = d.rest();
        long at = rest.offset();
        switch (ref) {
            case ContentDeleted.REF:
                return new ContentDeleted(d.readLen());
            case ContentJSON.REF: {
                long len = d.readLen();
                List<Object> arr = new ArrayList<>();
                for (long i = 0; i < len; i++) {
                    arr.add(ContentJSON.parseElement(d.readString(), d));
                }
                return new ContentJSON(arr);
            }
            case ContentBinary.REF:
                return new ContentBinary(d.readBuf());
            case ContentString.REF:
                return new ContentString(d.readString());
            case ContentEmbed.REF:
                return new ContentEmbed(d.readJSON());
            case ContentFormat.REF:
                return new ContentFormat(d.readKey(), d.readJSON());
            case ContentType.REF: {
                long typeRef = d.readTypeRef();
                if (typeRef < 0 || typeRef > ContentType.Y_XML_TEXT) {
                    throw new dev.quire.yjs.MalformedUpdateException(Reason.UNKNOWN_TYPE_REF, at, "unknown type ref " + typeRef);
                }
                int t = (int) typeRef;
                return new ContentType(t, ContentType.hasName(t) ? d.readKey() : null);
            }
            case ContentAny.REF: {
                long len = d.readLen();
                if (len > rest.remaining()) { // every value takes at least one byte of the rest
                    throw rest.error(Reason.LENGTH_EXCEEDS_INPUT, "any content of " + len + " values, but only " + rest.remaining() + " bytes remain");
                }
                List<Object> arr = new ArrayList<>((int) len);
                for (long i = 0; i < len; i++) {
                    arr.add(d.readAny());
                }
                return new ContentAny(arr);
            }
            case ContentDoc.REF: {
                String guid = d.readString();
                Object opts = d.readAny();
                if (opts == null || opts == Undefined.UNDEFINED) {
                    throw rest.error(Reason.INVALID_VALUE, "subdocument options must not be " + opts);
                }
                return ContentDoc.fromDecoded(guid, opts);
            }
            default:
                throw new dev.quire.yjs.MalformedUpdateException(Reason.UNKNOWN_CONTENT_REF, at, "unknown content ref " + ref);
        }
    }
}
