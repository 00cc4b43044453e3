package dev.verity.validator.consensus.ratis;

import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.ledger.RejectCode;
import dev.verity.ledger.TransactionRejectedException;
import dev.verity.ledger.block.Block;
import dev.verity.protocol.consensus.FinalityVote;
import dev.verity.protocol.consensus.SignedVote;
import dev.verity.validator.chain.ChainNode;
import dev.verity.validator.chain.NodeHaltedException;
import dev.verity.validator.chain.Proposal;
import dev.verity.validator.chain.VoteOutcome;
import dev.verity.validator.consensus.Consensus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several validators over Apache Ratis (Raft). The log orders three kinds of entries ({@link LogEntry}): transactions
 * (a client's write is acknowledged once the log committed it and the leader admitted it, so a leader that dies loses
 * nothing acknowledged), proposals (the leader's, every block interval) and finality votes (every validator's, after it
 * executed a block itself). Every validator applies them in log order ({@link ChainStateMachine}), so all hold the same
 * blocks, votes and certificates. Raft tolerates crashes, not malice: a leader can delay or censor, but the state root
 * of a block is final only when validators holding more than two thirds of the stake signed it.
 *
 * <p>A follower's submitted transaction goes to the leader through Ratis' client, which follows the leader.
 */
public final class ReplicatedConsensus implements Consensus {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatedConsensus.class);
    /** How long a client write waits for the log (leader election included) before the API answers 503. */
    static final TimeDuration WRITE_TIMEOUT = TimeDuration.valueOf(10, TimeUnit.SECONDS);
    /**
     * <b>Test seam</b> for the equivocation test: {@code -Dverity.test.equivocateAt=H} makes this validator, after its
     * honest vote at height H, also sign and send a second vote at H with another state root, as a faulty build would.
     */
    public static final String EQUIVOCATE_AT = "verity.test.equivocateAt";
    /** Log entries between snapshots by default (a block, its votes and its transactions are entries). */
    public static final long DEFAULT_SNAPSHOT_EVERY = 20_000;
    /** The log is purged by whole segments; a segment must hold the largest entry (a full block's proposal). */
    public static final long DEFAULT_SEGMENT_BYTES = 32L << 20;
    /** Tuning: {@code -Dverity.raft.snapshotEvery=N} log entries between snapshots. */
    public static final String SNAPSHOT_EVERY = "verity.raft.snapshotEvery";
    /** Tuning: {@code -Dverity.raft.segmentBytes=N}, the size of the log's segments. */
    public static final String SEGMENT_BYTES = "verity.raft.segmentBytes";

    private final ChainNode chain;
    private final List<ValidatorPeer> peers;
    private final ValidatorPeer self;
    private final long intervalMillis;
    private final RaftGroup group;
    private final RaftServer server;
    private final RaftClient client;
    private final ChainStateMachine machine;
    private final long equivocateAt;
    private final ScheduledExecutorService proposer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "block-proposer");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService voter = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "vote-sender");
        t.setDaemon(true);
        return t;
    });
    /** Slow, rare work off the proposer's and the voter's threads: membership changes and equivocation reports. */
    private final java.util.concurrent.ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "validator-set-follower");
        t.setDaemon(true);
        return t;
    });
    private final java.util.concurrent.atomic.AtomicBoolean reconfiguring = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile Consumer<VoteOutcome.Equivocation> onEquivocation = e -> { };
    private volatile boolean closed;
    private volatile boolean membershipCheckDue = true;
    private volatile boolean failed;
    private static final int DEAD_CHECKS = 5;
    private int deadChecks;
    private volatile Consumer<String> onFailure = m -> { };
    private volatile dev.verity.core.Hash syncedSet;

    public ReplicatedConsensus(ChainNode chain, List<ValidatorPeer> peers, Path raftDir, long intervalMillis) {
        this(chain, peers, raftDir, intervalMillis, Long.getLong(SNAPSHOT_EVERY, DEFAULT_SNAPSHOT_EVERY),
                Long.getLong(SEGMENT_BYTES, DEFAULT_SEGMENT_BYTES));
    }

    /**
     * @param snapshotEvery log entries between snapshots: the log is purged up to each, so a validator further behind
     *                      than that catches up from a snapshot instead of the log
     */
    public ReplicatedConsensus(ChainNode chain, List<ValidatorPeer> peers, Path raftDir, long intervalMillis, long snapshotEvery,
                               long segmentBytes) {
        this.chain = chain;
        this.peers = List.copyOf(peers);
        this.intervalMillis = intervalMillis;
        this.self = peers.stream().filter(p -> p.key().equals(chain.validatorKey().publicKey())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("this validator's key " + chain.validatorKey().publicKey().hex()
                        + " is not among the peers " + peers.stream().map(p -> p.key().hex()).toList()));
        this.equivocateAt = Long.getLong(EQUIVOCATE_AT, -1);
        RaftGroupId groupId = RaftGroupId.valueOf(UUID.nameUUIDFromBytes(chain.genesis().hash().bytes()));
        this.group = RaftGroup.valueOf(groupId, peers.stream().map(ValidatorPeer::toRaftPeer).toList());
        PartitionSeam.installIfSet();
        RaftProperties props = properties(raftDir, host(self.address()), port(self.address()), snapshotEvery, segmentBytes);
        SnapshotCatchUp catchUp = new SnapshotCatchUp(chain, this::apiUrls);
        this.machine = new ChainStateMachine(chain, this::afterBlock, this::afterVote, catchUp);
        try {
            this.server = RaftServer.newBuilder().setServerId(ValidatorPeer.idOf(self.key())).setGroup(group)
                    .setProperties(props).setStateMachine(machine).setOption(RaftStorage.StartupOption.RECOVER).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the replicated log in " + raftDir + ": " + e.getMessage(), e);
        }
        this.client = RaftClient.newBuilder().setProperties(props).setRaftGroup(group)
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(50, TimeDuration.valueOf(200,
                        TimeUnit.MILLISECONDS)))
                .build();
        // Before the API starts serving (ValidatorProcess starts it before start()): a transaction that came in between
        // would go into this validator's mempool alone, acknowledged but never in the log.
        chain.routeSubmissions(this::submit);
    }

    private static String host(String address) {
        String h = address.substring(0, address.lastIndexOf(':'));
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    /** The other validators' API URLs: from the peers given, and from the validator set on chain. */
    private List<String> apiUrls() {
        java.util.LinkedHashSet<String> urls = new java.util.LinkedHashSet<>();
        for (ValidatorPeer p : peers) {
            if (!p.key().equals(self.key()) && !p.apiUrl().isEmpty()) {
                urls.add(p.apiUrl());
            }
        }
        for (var v : chain.currentValidatorSet().members()) {
            if (!v.key().equals(self.key()) && !v.apiUrl().isEmpty()) {
                urls.add(v.apiUrl());
            }
        }
        return List.copyOf(urls);
    }

    private static RaftProperties properties(Path raftDir, String host, int port, long snapshotEvery, long segmentBytes) {
        RaftProperties props = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(props, List.of(raftDir.toFile()));
        // Listen where the validator's own peer entry says, not on every interface.
        GrpcConfigKeys.Server.setHost(props, host);
        GrpcConfigKeys.Server.setPort(props, port);
        // Elections: slow enough that a GC pause or a loaded machine does not depose a healthy leader.
        RaftServerConfigKeys.Rpc.setTimeoutMin(props, TimeDuration.valueOf(1000, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(props, TimeDuration.valueOf(2000, TimeUnit.MILLISECONDS));
        // A proposal carries its block's transactions: room for the largest block.
        RaftServerConfigKeys.Log.setSegmentSizeMax(props, SizeInBytes.valueOf(segmentBytes));
        long entryLimit = Math.min(16L << 20, segmentBytes);
        RaftServerConfigKeys.Log.Appender.setBufferByteLimit(props, SizeInBytes.valueOf(entryLimit));
        RaftServerConfigKeys.Log.setWriteBufferSize(props, SizeInBytes.valueOf(entryLimit + (1 << 20)));
        GrpcConfigKeys.setMessageSizeMax(props, SizeInBytes.valueOf("32MB"));
        // Snapshots: the store is the snapshot (ChainStateMachine#takeSnapshot); the log is purged up to each, and a
        // validator behind the purged part fetches a snapshot from the others itself, checked against a certificate.
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(props, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(props, snapshotEvery);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(props, true);
        RaftServerConfigKeys.Log.setPurgeGap(props, (int) Math.min(Integer.MAX_VALUE, snapshotEvery));
        RaftServerConfigKeys.Log.Appender.setInstallSnapshotEnabled(props, false);
        RaftClientConfigKeys.Rpc.setRequestTimeout(props, TimeDuration.valueOf(3, TimeUnit.SECONDS));
        return props;
    }

    @Override
    public void start() {
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the replicated log: " + e.getMessage(), e);
        }
        proposer.scheduleWithFixedDelay(this::proposeIfLeader, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        // A vote signed just before a crash may never have reached the log: send it again (the same vote counts once).
        chain.voteSigner().last().ifPresent(this::sendVote);
        proposer.scheduleWithFixedDelay(this::checkAlive, 1, 1, TimeUnit.SECONDS);
    }

    /** Calls {@code handler} once if the replicated log stops under this validator (its Raft server closed or failed). */
    public void onFailure(Consumer<String> handler) {
        this.onFailure = handler == null ? m -> { } : handler;
    }

    /** True once the replicated log stopped under this validator. */
    public boolean failed() {
        return failed;
    }

    /**
     * Fails once the log's division has been closed or failed for {@value #DEAD_CHECKS} checks in a row: a division
     * that pauses to install a snapshot, or starts, is not dead.
     */
    private void checkAlive() {
        if (closed || failed) {
            return;
        }
        org.apache.ratis.util.LifeCycle.State state;
        try {
            state = info().getLifeCycleState();
        } catch (IOException e) {
            state = org.apache.ratis.util.LifeCycle.State.CLOSED;
        }
        boolean dead = state.isClosingOrClosed() || state == org.apache.ratis.util.LifeCycle.State.EXCEPTION;
        deadChecks = dead ? deadChecks + 1 : 0;
        if (deadChecks >= DEAD_CHECKS && !closed) {
            failed = true;
            String why = "the replicated log (Apache Ratis) stopped under this validator (" + state + "); it serves a chain "
                    + "that no longer follows the others";
            LOG.error("REPLICATION STOPPED: {}", why);
            onFailure.accept(why);
        }
    }

    /** Calls {@code handler} on the log's thread with each equivocation the log shows. */
    public void onEquivocation(Consumer<VoteOutcome.Equivocation> handler) {
        this.onEquivocation = handler;
    }

    private DivisionInfo info() throws IOException {
        return server.getDivision(group.getGroupId()).getInfo();
    }

    /** True while this validator leads the log and can propose. */
    public boolean isLeader() {
        try {
            return info().isLeaderReady();
        } catch (IOException e) {
            return false;
        }
    }

    /** The id of the leader this validator knows of, if any. */
    public String leaderId() {
        try {
            RaftPeerId leader = info().getLeaderId();
            return leader == null ? "" : leader.toString();
        } catch (IOException e) {
            return "";
        }
    }

    private void proposeIfLeader() {
        if (closed || !isLeader() || !chain.isHealthy()) {
            return;
        }
        if (membershipCheckDue && reconfiguring.compareAndSet(false, true)) {
            membershipCheckDue = false;
            try {
                background.execute(() -> {
                    try {
                        followValidatorSet();
                    } finally {
                        reconfiguring.set(false);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                reconfiguring.set(false);
            }
        }
        if (!chain.currentValidatorSet().contains(self.key())) {
            handOverLeadership();
            return;
        }
        try {
            Proposal p = chain.propose();
            RaftClientReply reply = client.io().send(message(new LogEntry.ProposalEntry(p)));
            String answer = reply.getMessage().getContent().toString(StandardCharsets.UTF_8);
            if (!reply.isSuccess() || !answer.startsWith("BLOCK")) {
                LOG.info("proposal of block {} not applied: {}", p.height(), reply.isSuccess() ? answer : reply.getException());
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                LOG.warn("could not propose a block: {}", e.toString());
            }
        }
    }

    /**
     * Raft's membership follows the chain: when the validator set on chain (validators join, leave or are slashed out by
     * transactions) differs from the log's peers, the leader changes the log's configuration to it. Members without a
     * peer address on chain (a genesis that gave none) leave the configuration as {@code --peer} set it.
     */
    private void followValidatorSet() {
        var set = chain.currentValidatorSet();
        if (set.hash().equals(syncedSet)) {
            return;
        }
        List<org.apache.ratis.protocol.RaftPeer> desired = new java.util.ArrayList<>();
        for (var v : set.members()) {
            if (v.peerAddress().isEmpty()) {
                syncedSet = set.hash();
                return;
            }
            desired.add(new ValidatorPeer(v.key(), v.peerAddress(), v.apiUrl()).toRaftPeer());
        }
        try {
            java.util.Set<String> current = new java.util.TreeSet<>();
            for (var p : server.getDivision(group.getGroupId()).getGroup().getPeers()) {
                current.add(p.getId() + "@" + p.getAddress());
            }
            java.util.Set<String> wanted = new java.util.TreeSet<>();
            desired.forEach(p -> wanted.add(p.getId() + "@" + p.getAddress()));
            if (!current.equals(wanted)) {
                LOG.warn("the validator set on chain changed: the log's members become {} (were {})", wanted, current);
                RaftClientReply reply = client.admin().setConfiguration(desired);
                if (!reply.isSuccess()) {
                    LOG.warn("could not change the log's members: {}", reply.getException());
                    return;
                }
            }
            syncedSet = set.hash();
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not change the log's members to the validator set on chain: {}", e.toString());
            membershipCheckDue = true;
        }
    }

    /**
     * This validator leads the log but is no longer in the validator set on chain (it left, or was slashed out while the
     * log's members could not follow the set): the others ignore its proposals, so it hands the lead to a member of the
     * set, on a background thread, instead of stalling the chain.
     */
    private void handOverLeadership() {
        if (!reconfiguring.compareAndSet(false, true)) {
            return;
        }
        try {
            background.execute(() -> {
                try {
                    var set = chain.currentValidatorSet();
                    for (var peer : server.getDivision(group.getGroupId()).getGroup().getPeers()) {
                        boolean inSet = set.members().stream().anyMatch(v -> ValidatorPeer.idOf(v.key()).equals(peer.getId()));
                        if (inSet) {
                            LOG.warn("this validator leads the log but is not in the validator set on chain; handing the lead "
                                    + "to {}", peer.getId());
                            RaftClientReply reply = client.admin().transferLeadership(peer.getId(), 10_000);
                            if (!reply.isSuccess()) {
                                LOG.warn("could not hand the lead to {}: {}", peer.getId(), reply.getException());
                            }
                            return;
                        }
                    }
                    LOG.warn("this validator leads the log but is not in the validator set on chain, and no member of the "
                            + "set is a member of the log to hand the lead to");
                } catch (IOException | RuntimeException e) {
                    if (!closed) {
                        LOG.warn("could not hand over the lead: {}", e.toString());
                    }
                } finally {
                    reconfiguring.set(false);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            reconfiguring.set(false);
        }
    }

    /** Called on the log's thread after this node executed a block: vote, durable first, then sent through the log. */
    private void afterBlock(Block block) {
        chain.castVote(block).ifPresent(this::sendVote);
        membershipCheckDue = true;
        if (block.height() == equivocateAt) {
            FinalityVote honest = chain.voteFor(block);
            FinalityVote other = new FinalityVote(honest.chainId(), honest.height(), honest.blockHash(),
                    Sha256.digest(("equivocation test " + honest.stateRoot().hex()).getBytes(StandardCharsets.UTF_8)),
                    honest.validatorSetHash());
            LOG.warn("TEST SEAM -D{}={}: signing a second vote at height {} with state root {}", EQUIVOCATE_AT, equivocateAt,
                    block.height(), other.stateRoot().hex());
            sendVote(chain.voteSigner().signUnchecked(other));
        }
    }

    private void afterVote(VoteOutcome outcome) {
        if (outcome instanceof VoteOutcome.Equivocation e) {
            LOG.error("EQUIVOCATION: validator {} signed two votes at height {}: {} / {} and {} / {}", e.first().validator().hex(),
                    e.first().vote().height(), e.first().vote().blockHash().hex(), e.first().vote().stateRoot().hex(),
                    e.second().vote().blockHash().hex(), e.second().vote().stateRoot().hex());
            onEquivocation.accept(e);
            if (!e.first().validator().equals(chain.validatorKey().publicKey()) && !closed) {
                try {
                    background.execute(() -> report(e));
                } catch (java.util.concurrent.RejectedExecutionException closing) {
                    LOG.debug("not reporting the equivocation: closing");
                }
            }
        }
    }

    /**
     * Sends the evidence to the ledger, which slashes the validator (docs/SLASHING.md). Every validator that saw it
     * reports it; the first report included slashes, the ledger refuses the others as already slashed.
     */
    private void report(VoteOutcome.Equivocation e) {
        try {
            var key = chain.validatorKey();
            var tx = dev.verity.protocol.tx.SignedTransaction.sign(new dev.verity.protocol.tx.TransactionBody(
                    chain.genesis().chainId(), key.publicKey(), chain.nextNonce(key.publicKey()),
                    new dev.verity.protocol.tx.Payload.ReportEquivocation(e.first(), e.second())), key);
            Hash hash = chain.submit(tx.encoded());
            LOG.warn("reported the equivocation of {} at height {} in transaction {}", e.first().validator().hex(),
                    e.first().vote().height(), hash.hex());
        } catch (RuntimeException ex) {
            LOG.info("equivocation of {} at height {} not reported by this validator: {}", e.first().validator().hex(),
                    e.first().vote().height(), ex.getMessage());
        }
    }

    private void sendVote(SignedVote vote) {
        if (closed) {
            return;
        }
        try {
            voter.execute(() -> send(vote));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("not sending the vote at height {}: closing", vote.vote().height());
        }
    }

    private void send(SignedVote vote) {
        try {
            client.io().send(message(new LogEntry.Vote(vote)));
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                LOG.warn("could not send the vote at height {}: {}", vote.vote().height(), e.toString());
            }
        }
    }

    /**
     * A client's transaction, through the log: acknowledged (its hash returned) once the log committed it and the
     * leader admitted it into the mempool; refused with the leader's reason otherwise.
     */
    private Hash submit(byte[] tx) {
        RaftClientReply reply;
        try {
            reply = client.io().send(message(new LogEntry.Transaction(tx)));
        } catch (IOException e) {
            throw new NodeHaltedException("the replicated log did not take the transaction (no leader reachable?): " + e.getMessage()
                    + "; retry, or send it to another validator");
        }
        if (!reply.isSuccess()) {
            throw new NodeHaltedException("the replicated log did not take the transaction: " + reply.getException());
        }
        String answer = reply.getMessage().getContent().toString(StandardCharsets.UTF_8);
        if (answer.startsWith("OK ")) {
            // Read-your-writes on this validator: answer once it applied the entry too, so that the client's next read
            // here (its receipt, PENDING) finds the transaction.
            awaitApplied(reply.getLogIndex());
            return Hash.fromHex(answer.substring(3).strip());
        }
        if (answer.startsWith("REFUSED ")) {
            String rest = answer.substring(8);
            int space = rest.indexOf(' ');
            RejectCode code = RejectCode.valueOf(space < 0 ? rest : rest.substring(0, space));
            throw new TransactionRejectedException(code, space < 0 ? "" : rest.substring(space + 1));
        }
        throw new IllegalStateException("unexpected answer from the log: " + answer);
    }

    private void awaitApplied(long index) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (machine.getLastAppliedTermIndex() == null || machine.getLastAppliedTermIndex().getIndex() < index) {
            if (System.nanoTime() > deadline || closed) {
                return; // acknowledged by the log all the same; this validator is slow to apply it
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static Message message(LogEntry entry) {
        return Message.valueOf(ByteString.copyFrom(entry.encode()));
    }

    @Override
    public String describe() {
        return "replicated over " + peers.size() + " validators (Apache Ratis), a block every " + intervalMillis + " ms";
    }

    @Override
    public void close() {
        closed = true;
        proposer.shutdownNow();
        try {
            server.close();
        } catch (IOException e) {
            LOG.warn("closing the replicated log: {}", e.toString());
        }
        voter.shutdownNow();
        background.shutdownNow();
        try {
            client.close();
        } catch (IOException e) {
            LOG.warn("closing the log client: {}", e.toString());
        }
    }
}
