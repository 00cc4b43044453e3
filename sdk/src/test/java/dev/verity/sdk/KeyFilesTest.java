package dev.verity.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.core.PrivateKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFilesTest {
    @TempDir
    Path dir;

    @Test
    void savedKeysLoadBackAndAreOwnerOnly() throws Exception {
        PrivateKey key = KeyFiles.generate();
        Path file = dir.resolve("keys/alice.json");
        KeyFiles.save(file, key);

        PrivateKey loaded = KeyFiles.load(file);
        assertThat(loaded.publicKey()).isEqualTo(key.publicKey());
        assertThat(loaded.seedHex()).isEqualTo(key.seedHex());
        String text = Files.readString(file);
        assertThat(text).contains("\"publicKey\" : \"" + key.publicKey().hex() + "\"", "\"seed\" : \"" + key.seedHex() + "\"");
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        try (var files = Files.list(file.getParent())) {
            assertThat(files).as("no temporary file left behind").containsExactly(file);
        }
    }

    @Test
    void generatedKeysDiffer() {
        assertThat(KeyFiles.generate().publicKey()).isNotEqualTo(KeyFiles.generate().publicKey());
    }

    @Test
    void refusesToOverwriteUnlessAsked() {
        Path file = dir.resolve("k.json");
        PrivateKey first = KeyFiles.generate();
        KeyFiles.save(file, first);
        assertThatThrownBy(() -> KeyFiles.save(file, KeyFiles.generate())).isInstanceOf(KeyFileException.class)
                .hasMessageContaining("already exists");
        assertThat(KeyFiles.load(file).publicKey()).isEqualTo(first.publicKey());
        PrivateKey second = KeyFiles.generate();
        KeyFiles.save(file, second, true);
        assertThat(KeyFiles.load(file).publicKey()).isEqualTo(second.publicKey());
    }

    @Test
    void badFilesGiveClearErrors() throws Exception {
        assertThatThrownBy(() -> KeyFiles.load(dir.resolve("missing.json"))).isInstanceOf(KeyFileException.class)
                .hasMessageContaining("no key file at").hasMessageContaining("missing.json");

        Path notJson = write("not-json.json", "seed=abc");
        assertThatThrownBy(() -> KeyFiles.load(notJson)).hasMessageContaining("not valid JSON");

        Path array = write("array.json", "[1, 2]");
        assertThatThrownBy(() -> KeyFiles.load(array)).hasMessageContaining("JSON object");

        PrivateKey key = PrivateKey.deterministic("key-file-test");
        Path noSeed = write("no-seed.json", "{\"publicKey\": \"" + key.publicKey().hex() + "\"}");
        assertThatThrownBy(() -> KeyFiles.load(noSeed)).hasMessageContaining("no \"seed\" field");

        Path shortSeed = write("short.json", "{\"publicKey\": \"" + key.publicKey().hex() + "\", \"seed\": \"abcd\"}");
        assertThatThrownBy(() -> KeyFiles.load(shortSeed)).hasMessageContaining("64 hex characters (32 bytes), got 4");

        Path notHex = write("nothex.json", "{\"publicKey\": \"" + key.publicKey().hex() + "\", \"seed\": \"" + "zz".repeat(32) + "\"}");
        assertThatThrownBy(() -> KeyFiles.load(notHex)).hasMessageContaining("not hex");

        String otherPublic = PrivateKey.deterministic("someone else").publicKey().hex();
        Path mismatch = write("mismatch.json", "{\"publicKey\": \"" + otherPublic + "\", \"seed\": \"" + key.seedHex() + "\"}");
        assertThatThrownBy(() -> KeyFiles.load(mismatch)).isInstanceOf(KeyFileException.class)
                .hasMessageContaining("inconsistent").hasMessageContaining(otherPublic).hasMessageContaining(key.publicKey().hex());
    }

    @Test
    void keyFilesOthersMayReadAreRefusedUnlessAllowed() throws Exception {
        PrivateKey key = PrivateKey.deterministic("shared-key");
        for (String mode : new String[] {"rw-r--r--", "rw-r-----", "rw----r--", "rw--w----"}) {
            Path file = dir.resolve("shared-" + mode.replace('-', '_') + ".json");
            KeyFiles.save(file, key);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
            assertThatThrownBy(() -> KeyFiles.load(file)).as(mode).isInstanceOf(KeyFileException.class)
                    .hasMessageContaining("key file " + file + " is readable or writable by others (permissions " + mode + ")")
                    .hasMessageContaining("chmod 600 " + file)
                    .hasMessageContaining(KeyFiles.ALLOW_SHARED_KEYS_ENV + "=1");
            assertThat(KeyFiles.load(file, true).publicKey()).isEqualTo(key.publicKey());
        }
        Path ownerOnly = dir.resolve("fixed.json");
        KeyFiles.save(ownerOnly, key);
        Files.setPosixFilePermissions(ownerOnly, PosixFilePermissions.fromString("r--------"));
        assertThat(KeyFiles.load(ownerOnly).publicKey()).isEqualTo(key.publicKey());
    }

    private Path write(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        return p;
    }
}
