package dev.verity.compute.tee;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The certificate table of an AMD SEV-SNP extended attestation report: what the hypervisor hands the guest with
 * the report (GHCB specification, MSG_REPORT_REQ / SNP_GET_EXT_REPORT) and what Linux's configfs-tsm exposes as
 * {@code auxblob} when the provider is {@code sev_guest}.
 *
 * <p>Layout: a sequence of 24-byte entries, each a 16-byte GUID, a little-endian u32 offset and a little-endian
 * u32 length, ended by an all-zero entry; the offsets count from the start of the table and point at the DER
 * certificates after the entries. The GUID's 16 bytes are in the order of its text form (RFC 4122, big-endian
 * fields; not the mixed-endian layout of Microsoft GUIDs), as go-sev-guest reads them: the VCEK's
 * {@code 63da758d-e664-4564-adc5-f4b93be8accd} starts with the bytes {@code 63 da 75 8d}.
 */
public final class SnpCertTable {
    /** The VCEK (versioned chip endorsement key) certificate. */
    public static final String VCEK_GUID = "63da758d-e664-4564-adc5-f4b93be8accd";
    /** The ASK (AMD SEV signing key) certificate. */
    public static final String ASK_GUID = "4ab7b379-bbac-4fe4-a02f-05aef327c782";
    /** The ARK (AMD root key) certificate. */
    public static final String ARK_GUID = "c0b406a4-a803-4952-9743-3fb6014cd0ae";
    /** The VLEK (versioned loaded endorsement key) certificate. */
    public static final String VLEK_GUID = "a8074bc2-a25a-483e-aae6-39c045a0b8a1";

    /** Bytes in one table entry: GUID, offset, length. */
    public static final int ENTRY_SIZE = 24;

    private SnpCertTable() {}

    /** One certificate of the table. */
    public record Entry(String guid, byte[] der) {
        public Entry {
            Objects.requireNonNull(guid, "guid");
            der = Objects.requireNonNull(der, "der").clone();
        }

        @Override
        public byte[] der() {
            return der.clone();
        }

        /** "VCEK", "ASK", "ARK", "VLEK", or "unknown". */
        public String kind() {
            return switch (guid) {
                case VCEK_GUID -> "VCEK";
                case ASK_GUID -> "ASK";
                case ARK_GUID -> "ARK";
                case VLEK_GUID -> "VLEK";
                default -> "unknown";
            };
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && guid.equals(e.guid) && Arrays.equals(der, e.der);
        }

        @Override
        public int hashCode() {
            return guid.hashCode() * 31 + Arrays.hashCode(der);
        }

        @Override
        public String toString() {
            return "Entry[" + kind() + " " + guid + ", " + der.length + " bytes]";
        }
    }

    /**
     * Parses a certificate table: the entries in table order. An empty table (no bytes) has no entries.
     *
     * @throws IllegalArgumentException when the table has no terminating all-zero entry, or an entry's range lies
     *     outside the table or inside its entry list
     */
    public static List<Entry> parse(byte[] table) {
        Objects.requireNonNull(table, "table");
        if (table.length == 0) {
            return List.of();
        }
        List<long[]> ranges = new ArrayList<>();
        List<String> guids = new ArrayList<>();
        int pos = 0;
        while (true) {
            if (pos + ENTRY_SIZE > table.length) {
                throw new IllegalArgumentException("SEV-SNP certificate table truncated: no all-zero terminating entry in "
                        + table.length + " bytes (" + guids.size() + " entries read)");
            }
            long offset = u32(table, pos + 16);
            long length = u32(table, pos + 20);
            boolean zeroGuid = true;
            for (int i = 0; i < 16; i++) {
                zeroGuid &= table[pos + i] == 0;
            }
            pos += ENTRY_SIZE;
            if (zeroGuid && offset == 0 && length == 0) {
                break;
            }
            guids.add(guid(table, pos - ENTRY_SIZE));
            ranges.add(new long[] {offset, length});
        }
        int headerEnd = pos;
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < guids.size(); i++) {
            long offset = ranges.get(i)[0];
            long length = ranges.get(i)[1];
            String what = "SEV-SNP certificate table entry " + i + " (" + guids.get(i) + ")";
            if (offset < headerEnd) {
                throw new IllegalArgumentException(what + " points into the entry list: offset " + offset
                        + " < " + headerEnd);
            }
            if (offset + length > table.length) {
                throw new IllegalArgumentException(what + " lies outside the table: offset " + offset + " + length "
                        + length + " > " + table.length + " bytes");
            }
            byte[] der = new byte[(int) length];
            System.arraycopy(table, (int) offset, der, 0, (int) length);
            out.add(new Entry(guids.get(i), der));
        }
        return List.copyOf(out);
    }

    /** The certificate with this GUID (the first, if the table repeats it). */
    public static Optional<byte[]> find(List<Entry> entries, String guid) {
        return entries.stream().filter(e -> e.guid().equals(guid)).findFirst().map(Entry::der);
    }

    /** The 16 bytes of a GUID in its text order (the table's byte order). */
    public static byte[] guidBytes(String guid) {
        String hex = guid.replace("-", "");
        if (hex.length() != 32 || guid.length() != 36 || guid.charAt(8) != '-' || guid.charAt(13) != '-'
                || guid.charAt(18) != '-' || guid.charAt(23) != '-') {
            throw new IllegalArgumentException("not a GUID (8-4-4-4-12 hex digits): " + guid);
        }
        return HexFormat.of().parseHex(hex);
    }

    private static String guid(byte[] b, int off) {
        String h = HexFormat.of().formatHex(b, off, off + 16);
        return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20)
                + "-" + h.substring(20);
    }

    private static long u32(byte[] b, int off) {
        return (b[off] & 0xffL) | (b[off + 1] & 0xffL) << 8 | (b[off + 2] & 0xffL) << 16 | (b[off + 3] & 0xffL) << 24;
    }
}
