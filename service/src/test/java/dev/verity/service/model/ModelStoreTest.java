package dev.verity.service.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {
    // SHA-256 of "abc".
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @TempDir
    Path dir;

    @Test
    void storesBytesUnderTheirHash() throws IOException {
        ModelStore store = new ModelStore(dir.resolve("models"));
        String hex = store.put("abc".getBytes(StandardCharsets.UTF_8), ".onnx");
        assertThat(hex).isEqualTo(ABC);
        Path file = store.path(hex);
        assertThat(file).isEqualTo(dir.resolve("models").resolve(ABC + ".onnx"));
        assertThat(Files.readString(file)).isEqualTo("abc");
        assertThat(store.contains(ABC)).isTrue();
        // Putting the same content again is a no-op.
        assertThat(store.put("abc".getBytes(StandardCharsets.UTF_8), ".onnx")).isEqualTo(ABC);
        try (var files = Files.list(store.dir())) {
            assertThat(files).containsExactly(file); // and no temporary files are left behind
        }
    }

    @Test
    void storesFilesUnderTheirHash() throws IOException {
        Path source = Files.writeString(dir.resolve("m.onnx"), "abc");
        ModelStore store = new ModelStore(dir.resolve("models"));
        assertThat(store.put(source)).isEqualTo(ABC);
        assertThat(store.path(ABC)).hasContent("abc");
        assertThat(ModelStore.sha256(source)).isEqualTo(ABC);
    }

    @Test
    void detectsATamperedFile() throws IOException {
        ModelStore store = new ModelStore(dir);
        String hex = store.put("abc".getBytes(StandardCharsets.UTF_8), ".onnx");
        Files.writeString(store.dir().resolve(hex + ".onnx"), "abd");
        assertThatThrownBy(() -> store.path(hex))
                .isInstanceOf(ModelStoreException.class)
                .hasMessageContaining(hex)
                .hasMessageContaining("integrity");
        // Putting the genuine content again repairs it.
        store.put("abc".getBytes(StandardCharsets.UTF_8), ".onnx");
        assertThat(store.path(hex)).hasContent("abc");
        // An appended byte is caught as well.
        Files.write(store.dir().resolve(hex + ".onnx"), new byte[] {0}, StandardOpenOption.APPEND);
        assertThatThrownBy(() -> store.path(hex)).isInstanceOf(ModelStoreException.class);
    }

    @Test
    void reportsAMissingModel() {
        ModelStore store = new ModelStore(dir);
        assertThatThrownBy(() -> store.path(ABC))
                .isInstanceOf(ModelStoreException.class)
                .hasMessageContaining(ABC)
                .hasMessageContaining("not in the store");
        assertThat(store.contains(ABC)).isFalse();
    }

    @Test
    void rejectsNamesThatAreNotHashes() {
        ModelStore store = new ModelStore(dir);
        assertThatThrownBy(() -> store.path("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.path(ABC.toUpperCase())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.put(new byte[1], "/x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.putCompanion(ABC, "../x", new byte[1]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.putCompanion(ABC, "onnx", new byte[1]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keepsCompanionFilesBesideTheModel() throws IOException {
        ModelStore store = new ModelStore(dir);
        String hex = store.put("abc".getBytes(StandardCharsets.UTF_8), ".onnx");
        assertThat(store.companion(hex, "tokenizer.json")).isEmpty();
        Path written = store.putCompanion(hex, "tokenizer.json", "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(written).isEqualTo(dir.resolve(hex + ".tokenizer.json"));
        assertThat(store.companion(hex, "tokenizer.json")).contains(written);
        assertThat(written).hasContent("{}");
        store.putCompanion(hex, "tokenizer.json", "{\"v\":2}".getBytes(StandardCharsets.UTF_8));
        assertThat(written).hasContent("{\"v\":2}");
        // The model itself is untouched by its companion.
        assertThat(store.path(hex)).hasContent("abc");
    }
}
