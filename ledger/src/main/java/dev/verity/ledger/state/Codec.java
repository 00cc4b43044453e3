package dev.verity.ledger.state;

import dev.verity.core.Decoder;
import dev.verity.core.Encoder;

/** Canonical encoding of one kind of value. */
public interface Codec<T> {
    void write(Encoder e, T value);

    T read(Decoder d);

    default byte[] encode(T value) {
        Encoder e = new Encoder(256);
        write(e, value);
        return e.toByteArray();
    }

    default T decode(byte[] bytes) {
        Decoder d = new Decoder(bytes);
        T v = read(d);
        d.end("state value");
        return v;
    }
}
