package dev.verity.validator.chain;

import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.Sha256;
import dev.verity.ledger.Genesis;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.protocol.tx.TransactionBody;
import dev.verity.testkit.TestGenesis;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The same transactions for one or more nodes of a test chain, block after block: block 1 registers a model, and every
 * block after it holds a job (which no node serves, so it expires {@link #QUEUE_BLOCKS} blocks later and leaves the live
 * state for the archive) and a transfer. So each block has transactions, events and, from block 4 on, a finished job.
 */
public final class ChainTraffic {
    public static final String CHAIN_ID = "verity-pruning-test";
    public static final PrivateKey VALIDATOR = PrivateKey.deterministic("pruning-validator");
    public static final PrivateKey OWNER = PrivateKey.deterministic("pruning-model-owner");
    public static final PrivateKey CLIENT = PrivateKey.deterministic("pruning-client");
    public static final PrivateKey PAYEE = PrivateKey.deterministic("pruning-payee");
    public static final Hash MODEL = Sha256.digest(Bytes.utf8("pruning test model"));
    /** How long a job waits for a node before it expires. */
    public static final long QUEUE_BLOCKS = 2;

    private final List<ChainNode> nodes;
    private long clientNonce;
    private boolean registered;
    /** Per block produced: the hashes of its transactions; index 0 is unused (genesis). */
    private final List<List<Hash>> blocks = new ArrayList<>(List.of(List.of()));

    public ChainTraffic(ChainNode... nodes) {
        this.nodes = List.of(nodes);
    }

    public static Genesis genesis() {
        return TestGenesis.chain(CHAIN_ID).at(1_767_225_600_000L).fund(OWNER, 1_000 * TestGenesis.VRT)
                .fund(CLIENT, 1_000_000 * TestGenesis.VRT).validator(VALIDATOR)
                .params(p -> with(p, "maxQueueBlocks", QUEUE_BLOCKS)).build();
    }

    public static ChainNode open(Path dataDir, long retainBlocks) {
        return ChainNode.open(NodeConfig.defaults(dataDir).withRetainBlocks(retainBlocks), genesis(), VALIDATOR);
    }

    /** Submits the next block's transactions to every node and has each produce it; returns their hashes. */
    public List<Hash> block() {
        List<SignedTransaction> txs = new ArrayList<>();
        if (!registered) {
            txs.add(sign(OWNER, 0, new Payload.RegisterModel(MODEL, "pruning-model", "bytes", "bytes", 1_000)));
            registered = true;
        } else {
            txs.add(sign(CLIENT, clientNonce++, new Payload.SubmitJob(MODEL, Bytes.utf8("input " + clientNonce),
                    VerificationMode.NONE, List.of(), Params.BASE_UNITS_PER_TOKEN, 10)));
            txs.add(sign(CLIENT, clientNonce++, new Payload.Transfer(PAYEE.publicKey(), 1 + clientNonce)));
        }
        for (ChainNode node : nodes) {
            for (SignedTransaction tx : txs) {
                node.submit(tx.encoded());
            }
            node.produceBlock();
        }
        List<Hash> hashes = txs.stream().map(SignedTransaction::hash).toList();
        blocks.add(hashes);
        return hashes;
    }

    /** This traffic, continued on other nodes (a node reopened after a restart). */
    public ChainTraffic on(ChainNode... others) {
        ChainTraffic t = new ChainTraffic(others);
        t.clientNonce = clientNonce;
        t.registered = registered;
        t.blocks.addAll(blocks.subList(1, blocks.size()));
        return t;
    }

    public void blocks(int n) {
        for (int i = 0; i < n; i++) {
            block();
        }
    }

    /** The hashes of the transactions in the block at {@code height} (1 on). */
    public List<Hash> transactions(long height) {
        return blocks.get((int) height);
    }

    /** The id of the job submitted in the block at {@code height} (2 on): its transaction's hash. */
    public Hash job(long height) {
        return blocks.get((int) height).get(0);
    }

    static SignedTransaction sign(PrivateKey key, long nonce, Payload payload) {
        return SignedTransaction.sign(new TransactionBody(CHAIN_ID, key.publicKey(), nonce, payload), key);
    }

    /** {@code p} with one parameter replaced, by its record component's name. */
    static Params with(Params p, String name, Object value) {
        RecordComponent[] cs = Params.class.getRecordComponents();
        Object[] values = new Object[cs.length];
        Class<?>[] types = new Class<?>[cs.length];
        try {
            for (int i = 0; i < cs.length; i++) {
                types[i] = cs[i].getType();
                values[i] = cs[i].getName().equals(name) ? value : cs[i].getAccessor().invoke(p);
            }
            return Params.class.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot set " + name + " in Params", e);
        }
    }
}
