package dev.verity.modelhub.lm.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RLazyLoadDatabaseTest {
    @TempDir
    Path dir;

    /** Writes Rdata.rdb with two character vectors and its gzip-compressed Rdata.rdx index. */
    private Path database(int compressed) throws IOException {
        byte[] first = new RDataWriter().header(3).strings("EMMA", "", "CHAPTER I").zlibEntry();
        byte[] second = new RDataWriter().header(3).strings("PERSUASION").zlibEntry();
        ByteArrayOutputStream rdb = new ByteArrayOutputStream();
        rdb.writeBytes(first);
        rdb.writeBytes(second);
        Files.write(dir.resolve("Rdata.rdb"), rdb.toByteArray());

        RDataWriter index = new RDataWriter().header(3);
        index.flags(19, true, false, 0).integer(3);
        index.flags(19, true, false, 0).integer(2);
        index.flags(13, false, false, 0).integer(2).integer(0).integer(first.length);
        index.flags(13, false, false, 0).integer(2).integer(first.length).integer(second.length);
        index.namesAttribute("emma", "persuasion");
        index.flags(19, false, false, 0).integer(0); // references: list()
        index.flags(compressed == 1 ? 10 : 13, false, false, 0).integer(1).integer(compressed);
        index.namesAttributeByReference(1, "variables", "references", "compressed");
        Files.write(dir.resolve("Rdata.rdx"), index.gzipped());
        return dir.resolve("Rdata");
    }

    @Test
    void readsObjectsByName() throws IOException {
        RLazyLoadDatabase db = RLazyLoadDatabase.open(database(1));
        assertThat(db.names()).containsExactly("emma", "persuasion");
        assertThat(((RValue.Strings) db.get("emma")).values()).containsExactly("EMMA", "", "CHAPTER I");
        assertThat(((RValue.Strings) db.get("persuasion")).values()).containsExactly("PERSUASION");
        assertThatThrownBy(() -> db.get("sanditon"))
                .isInstanceOf(CorpusFormatException.class).hasMessageContaining("no element named 'sanditon'");
    }

    @Test
    void refusesCompressionOtherThanZlib() throws IOException {
        Path xz = database(3);
        assertThatThrownBy(() -> RLazyLoadDatabase.open(xz))
                .isInstanceOf(CorpusFormatException.class).hasMessageContaining("xz-compressed; only zlib");
    }

    @Test
    void aMissingIndexIsAnIoError() {
        assertThatThrownBy(() -> RLazyLoadDatabase.open(dir.resolve("absent")))
                .hasMessageContaining("cannot read the R lazy-load database");
    }
}
