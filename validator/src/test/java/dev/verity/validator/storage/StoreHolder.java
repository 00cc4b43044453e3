package dev.verity.validator.storage;

import java.nio.file.Path;

/** Run in a child JVM by {@link ChainStoreLockTest}: holds a store open until its stdin closes. */
public final class StoreHolder {

    static final String READY = "store open";

    private StoreHolder() {}

    public static void main(String[] args) throws Exception {
        try (ChainStore store = ChainStore.open(Path.of(args[0]))) {
            store.putMeta("holder", TestBytes.b("was here"));
            System.out.println(READY);
            System.out.flush();
            while (System.in.read() != -1) {
                // wait for the parent to close our stdin
            }
        }
    }
}
