package dev.verity.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.verity.core.Amounts;
import dev.verity.core.Decoder;
import dev.verity.core.DecodingException;
import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.core.Signature;
import dev.verity.ledger.event.EventType;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.proofs.attestation.Collateral;
import dev.verity.proofs.attestation.CollateralKind;
import dev.verity.proofs.attestation.Measurement;
import dev.verity.proofs.attestation.TcbVersion;
import dev.verity.proofs.attestation.TeeType;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.consensus.FinalityVote;
import dev.verity.protocol.consensus.SignedVote;
import dev.verity.protocol.governance.Approval;
import dev.verity.protocol.governance.Council;
import dev.verity.protocol.governance.GovernanceAction;
import dev.verity.protocol.governance.RevocationTarget;
import dev.verity.protocol.schema.InputSchema;
import dev.verity.protocol.tx.FailureReason;
import dev.verity.protocol.tx.Hardware;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.protocol.tx.TransactionBody;
import dev.verity.protocol.tx.TransactionCodec;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Property tests of the canonical encoding: values written by {@link Encoder} read back unchanged
 * through {@link Decoder}; transactions of every payload type round-trip through
 * {@link TransactionCodec}; any strict prefix of a valid encoding is a {@link DecodingException} and
 * never another exception; {@link Amounts#basisPoints} agrees with a {@link BigInteger} oracle.
 */
class CodecPropertyTest {

    // ------------------------------------------------------------------------------- generators

    static final Gen<Byte> BYTE = Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0);

    static Gen<byte[]> bytes(int maxLength) {
        return Generate.byteArrays(integers().between(0, maxLength), BYTE);
    }

    static Gen<byte[]> fixedBytes(int length) {
        return Generate.byteArrays(Generate.constant(length), BYTE);
    }

    static final Gen<Hash> HASH = fixedBytes(Hash.LENGTH).map(Hash::wrap);
    static final Gen<PublicKey> KEY = fixedBytes(PublicKey.LENGTH).map(PublicKey::wrap);
    static final Gen<Signature> SIGNATURE = fixedBytes(Signature.LENGTH).map(Signature::wrap);
    static final Gen<Long> U64 = longs().between(0, Long.MAX_VALUE);
    static final Gen<Long> U32 = longs().between(0, 0xFFFF_FFFFL);
    static final Gen<VerificationMode> MODE = Generate.enumValues(VerificationMode.class);

    /** Any Unicode text of up to {@code maxCodePoints} code points (no lone surrogates: those are not text). */
    static Gen<String> text(int maxCodePoints) {
        Gen<Integer> codePoint = integers().between(0, Character.MAX_CODE_POINT - 0x800)
                .map(cp -> cp >= Character.MIN_SURROGATE ? cp + 0x800 : cp);
        Gen<Integer> ascii = integers().between(0x20, 0x7E);
        return lists().of(codePoint.mix(ascii, 50)).ofSizeBetween(0, maxCodePoints).map(cps -> {
            StringBuilder sb = new StringBuilder();
            cps.forEach(sb::appendCodePoint);
            return sb.toString();
        });
    }

    // ------------------------------------------------------------------------------- Encoder / Decoder

    /** One value of the encoding, with how to write it and how to read it back (byte arrays as hex). */
    record Field(String kind, Object expected, java.util.function.Consumer<Encoder> writer,
                 java.util.function.Function<Decoder, Object> reader) {
        @Override
        public String toString() {
            return kind + "(" + expected + ")";
        }
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    static final Gen<Field> FIELD = Generate.oneOf(
            integers().between(0, 255).map(v -> new Field("u8", v, e -> e.u8(v), d -> d.u8("u8"))),
            booleans().all().map(v -> new Field("bool", v, e -> e.bool(v), d -> d.bool("bool"))),
            U32.map(v -> new Field("u32", v, e -> e.u32(v), d -> d.u32("u32"))),
            U64.map(v -> new Field("u64", v, e -> e.u64(v), d -> d.u64("u64"))),
            bytes(40).map(v -> new Field("fixed", hex(v), e -> e.fixed(v), d -> hex(d.fixed(v.length, "fixed")))),
            bytes(80).map(v -> new Field("bytes", hex(v), e -> e.bytes(v), d -> hex(d.bytes("bytes", 1 << 20)))),
            text(20).map(v -> new Field("string", v, e -> e.string(v), d -> d.string("string", 1 << 20))),
            HASH.map(v -> new Field("hash", v, e -> e.hash(v), d -> d.hash("hash"))),
            KEY.map(v -> new Field("key", v, e -> e.publicKey(v), d -> d.publicKey("key"))),
            SIGNATURE.map(v -> new Field("signature", v, e -> e.signature(v), d -> d.signature("signature"))),
            lists().of(U64).ofSizeBetween(0, 6).map(v -> new Field("list", v, e -> e.list(v, Encoder::u64),
                    d -> d.list("list", 64, x -> x.u64("item")))));

    static final Gen<List<Field>> RECORDS = lists().of(FIELD).ofSizeBetween(0, 12);

    static byte[] encode(List<Field> fields) {
        Encoder e = new Encoder(8);
        fields.forEach(f -> f.writer().accept(e));
        return e.toByteArray();
    }

    static void decodeAll(List<Field> fields, byte[] bytes) {
        Decoder d = new Decoder(bytes);
        for (Field f : fields) {
            f.reader().apply(d);
        }
        d.end("record");
    }

    @Test
    void encodedValuesDecodeToTheSameValues() {
        qt().forAll(RECORDS).checkAssert(fields -> {
            byte[] bytes = encode(fields);
            Decoder d = new Decoder(bytes);
            for (Field f : fields) {
                assertThat(f.reader().apply(d)).as(f.kind()).isEqualTo(f.expected());
            }
            assertThat(d.remaining()).isZero();
            d.end("record");
            assertThat(encode(fields)).as("one value, one encoding").isEqualTo(bytes);
        });
    }

    @Test
    void everyStrictPrefixOfAnEncodingIsADecodingException() {
        qt().forAll(RECORDS).checkAssert(fields -> {
            byte[] bytes = encode(fields);
            for (int cut = 0; cut < bytes.length; cut++) {
                byte[] prefix = Arrays.copyOf(bytes, cut);
                assertThatThrownBy(() -> decodeAll(fields, prefix)).as("prefix of %d/%d bytes", cut, bytes.length)
                        .isExactlyInstanceOf(DecodingException.class);
            }
            byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
            assertThatThrownBy(() -> decodeAll(fields, longer)).isExactlyInstanceOf(DecodingException.class)
                    .hasMessageContaining("trailing");
        });
    }

    // ------------------------------------------------------------------------------- transactions

    static final List<PrivateKey> SIGNERS = List.of(TestChain.ALICE, TestChain.BOB, TestChain.NODE_1);

    /** Hardware names are at most 64 bytes of UTF-8, so at most 16 code points. */
    static final Gen<Hardware> HARDWARE = text(16).zip(integers().between(0, Integer.MAX_VALUE), text(16),
            integers().between(0, Integer.MAX_VALUE), Hardware::new);

    static final Gen<Integer> U31 = integers().between(0, Integer.MAX_VALUE);
    static final Gen<InputSchema> INPUT_SCHEMA = Generate.oneOf(
            U31.zip(U31, InputSchema.Utf8Text::new),
            lists().of(U31).ofSizeBetween(0, InputSchema.MAX_RANK).zip(integers().all(), integers().all(), InputSchema.Float32Tensor::new),
            U31.zip(U32, InputSchema.TokenIds::new));
    static final Gen<TeeType> TEE_TYPE = Generate.enumValues(TeeType.class);
    static final Gen<Measurement> MEASUREMENT = fixedBytes(Measurement.LENGTH).map(Measurement::new);
    static final Gen<RevocationTarget> REVOCATION_TARGET = Generate.oneOf(
            TEE_TYPE.map(RevocationTarget.Vendor::new),
            TEE_TYPE.zip(fixedBytes(64), RevocationTarget.Chip::new),
            TEE_TYPE.zip(MEASUREMENT, RevocationTarget.MeasurementTarget::new));
    static final Gen<GovernanceAction> GOVERNANCE_ACTION = Generate.oneOf(
            TEE_TYPE.zip(Generate.enumValues(CollateralKind.class), bytes(200),
                    (t, k, d) -> new GovernanceAction.AddCollateral(new Collateral(t, k, d))),
            HASH.zip(text(40), GovernanceAction.RemoveCollateral::new),
            TEE_TYPE.zip(MEASUREMENT, text(40), GovernanceAction.ApproveMeasurement::new),
            REVOCATION_TARGET.zip(text(40), GovernanceAction.Revoke::new),
            REVOCATION_TARGET.map(GovernanceAction.Reinstate::new),
            TEE_TYPE.zip(lists().of(integers().between(0, 255)).ofSizeBetween(0, 16), text(40),
                    (t, c, r) -> new GovernanceAction.SetMinimumTcb(t, new TcbVersion(c), r)),
            U64.zip(U64, U64, (a, b, c) -> new GovernanceAction.SetVerificationParams(a, b, c, a % 10_001, b % 10_001, c % 10_001)),
            lists().of(KEY).ofSizeBetween(1, 5).map(ks -> new GovernanceAction.ReplaceCouncil(
                    new Council(new java.util.ArrayList<>(new java.util.TreeSet<>(ks)), 1))));

    static final Gen<FinalityVote> VOTE = text(16).map(s -> s.isEmpty() ? "c" : s)
            .zip(longs().between(1, Long.MAX_VALUE), HASH, (c, h, b) -> new FinalityVote(c, h, b, b, b))
            .zip(HASH, HASH, (v, root, set) -> new FinalityVote(v.chainId(), v.height(), v.blockHash(), root, set));
    static final Gen<SignedVote> SIGNED_VOTE = VOTE.zip(KEY, SIGNATURE, SignedVote::new);

    static final Map<String, Gen<Payload>> PAYLOADS = new LinkedHashMap<>();

    static {
        PAYLOADS.put("Transfer", KEY.zip(U64, (to, amount) -> new Payload.Transfer(to, amount)));
        PAYLOADS.put("RegisterNode", U64.zip(lists().of(HASH).ofSizeBetween(0, 5), lists().of(MODE).ofSizeBetween(0, 6),
                HARDWARE, (stake, models, modes, hw) -> new Payload.RegisterNode(stake, models, modes, hw, 1))
                .zip(integers().between(0, Integer.MAX_VALUE),
                        (n, cap) -> new Payload.RegisterNode(n.stake(), n.models(), n.modes(), n.hardware(), cap)));
        PAYLOADS.put("SetCapacity", integers().between(0, Integer.MAX_VALUE).map(Payload.SetCapacity::new));
        PAYLOADS.put("SubmitFailure", HASH.zip(Generate.enumValues(FailureReason.class), text(60), bytes(200),
                Payload.SubmitFailure::new));
        PAYLOADS.put("Bond", U64.map(Payload.Bond::new));
        PAYLOADS.put("Unbond", U64.map(Payload.Unbond::new));
        PAYLOADS.put("Withdraw", Generate.constant(new Payload.Withdraw()));
        PAYLOADS.put("Unjail", Generate.constant(new Payload.Unjail()));
        PAYLOADS.put("RegisterModel", HASH.zip(text(40), text(40), text(40),
                (h, name, in, out) -> new Payload.RegisterModel(h, name, in, out, 0)).zip(U64, INPUT_SCHEMA,
                (m, cu, schema) -> new Payload.RegisterModel(m.modelHash(), m.name(), m.inputDescription(), m.outputDescription(), cu,
                        schema)));
        PAYLOADS.put("RegisterEnclave", KEY.zip(bytes(300), (k, doc) -> new Payload.RegisterEnclave(k, doc)));
        PAYLOADS.put("SubmitJob", HASH.zip(bytes(120), MODE, lists().of(MODE).ofSizeBetween(0, 5),
                (h, in, mode, fallbacks) -> new Payload.SubmitJob(h, in, mode, fallbacks, 0, 0)).zip(U64, U64,
                (j, maxFee, deadline) -> new Payload.SubmitJob(j.model(), j.input(), j.mode(), j.fallbackModes(), maxFee, deadline)));
        PAYLOADS.put("SubmitResult", HASH.zip(bytes(120), bytes(80), Payload.SubmitResult::new));
        PAYLOADS.put("Govern", U64.zip(GOVERNANCE_ACTION, lists().of(KEY.zip(SIGNATURE, Approval::new)).ofSizeBetween(0, 4),
                Payload.Govern::new));
        PAYLOADS.put("RegisterProgram", HASH.zip(HASH, U64, U64, Payload.RegisterProgram::new));
        PAYLOADS.put("Challenge", HASH.zip(bytes(120), bytes(200), Payload.Challenge::new));
        PAYLOADS.put("DisputeMove", HASH.zip(HASH, HASH, Payload.DisputeMove::new));
        PAYLOADS.put("ProveStep", HASH.zip(HASH, lists().of(HASH).ofSizeBetween(0, 12), bytes(300), Payload.ProveStep::new));
        PAYLOADS.put("AuditReport", HASH.zip(bytes(120), bytes(200), Payload.AuditReport::new));
        PAYLOADS.put("SubmitJobs", lists().of(PAYLOADS.get("SubmitJob").map(p -> (Payload.SubmitJob) p)).ofSizeBetween(1, 4)
                .map(Payload.SubmitJobs::new));
        PAYLOADS.put("ValidatorBond", U64.zip(text(20), text(20), Payload.ValidatorBond::new));
        PAYLOADS.put("ValidatorLeave", Generate.constant(new Payload.ValidatorLeave()));
        PAYLOADS.put("ReportEquivocation", SIGNED_VOTE.zip(SIGNED_VOTE, Payload.ReportEquivocation::new));
        PAYLOADS.put("SetNodeEndpoint", text(40).map(Payload.SetNodeEndpoint::new));
        PAYLOADS.put("SubmitResults", lists().of(PAYLOADS.get("SubmitResult").map(p -> (Payload.SubmitResult) p))
                .ofSizeBetween(1, 4).zip(Generate.pick(List.of(new byte[0], new byte[64])), Payload.SubmitResults::new));
    }

    /** A signed transaction with a random chain id (at most 64 bytes), signer, nonce and the given payload. */
    static Gen<SignedTransaction> transactions(Gen<Payload> payloads) {
        return text(16).zip(Generate.pick(SIGNERS), U64, payloads,
                (chain, key, nonce, payload) -> SignedTransaction.sign(new TransactionBody(chain, key.publicKey(), nonce, payload), key));
    }

    static final Gen<SignedTransaction> ANY_TRANSACTION = transactions(
            Generate.frequency(PAYLOADS.values().stream().map(g -> org.quicktheories.api.Pair.of(1, g)).toList()));

    @Test
    void transactionsOfEveryPayloadTypeRoundTrip() {
        assertThat(PAYLOADS.keySet()).as("one generator per payload type")
                .hasSize(Payload.class.getPermittedSubclasses().length);
        for (Map.Entry<String, Gen<Payload>> type : PAYLOADS.entrySet()) {
            qt().withExamples(150).forAll(transactions(type.getValue())).checkAssert(tx -> {
                assertThat(tx.payload().getClass().getSimpleName()).isEqualTo(type.getKey());
                SignedTransaction decoded = TransactionCodec.decode(tx.encoded());
                assertThat(decoded.hash()).isEqualTo(tx.hash());
                assertThat(decoded.encoded()).isEqualTo(tx.encoded());
                assertThat(decoded.signature()).isEqualTo(tx.signature());
                assertThat(decoded.body().chainId()).isEqualTo(tx.body().chainId());
                assertThat(decoded.body().sender()).isEqualTo(tx.body().sender());
                assertThat(decoded.body().nonce()).isEqualTo(tx.body().nonce());
                assertThat(decoded.payload()).usingRecursiveComparison().isEqualTo(tx.payload());
                assertThat(decoded.signatureValid()).isTrue();
                // and re-signing the decoded body gives the same bytes: Ed25519 and the encoding are deterministic
                PrivateKey signer = TestChain.privateKeyOf(decoded.body().sender());
                assertThat(SignedTransaction.sign(decoded.body(), signer).encoded()).isEqualTo(tx.encoded());
            });
        }
    }

    @Test
    void everyStrictPrefixOfATransactionIsADecodingException() {
        qt().withExamples(300).forAll(ANY_TRANSACTION).checkAssert(tx -> {
            byte[] bytes = tx.encoded();
            for (int cut = 0; cut < bytes.length; cut++) {
                byte[] prefix = Arrays.copyOf(bytes, cut);
                assertThatThrownBy(() -> TransactionCodec.decode(prefix)).as("prefix of %d/%d bytes", cut, bytes.length)
                        .isExactlyInstanceOf(DecodingException.class);
            }
        });
    }

    @Test
    void corruptedTransactionsDecodeOrFailWithADecodingException() {
        qt().withExamples(300).forAll(ANY_TRANSACTION, integers().between(0, Integer.MAX_VALUE), integers().between(1, 255))
                .checkAssert((tx, where, xor) -> {
                    byte[] bytes = tx.encoded();
                    bytes[where % bytes.length] ^= xor.byteValue();
                    try {
                        SignedTransaction t = TransactionCodec.decode(bytes);
                        assertThat(t.encoded()).isEqualTo(bytes);
                    } catch (DecodingException expected) {
                        assertThat(expected.getMessage()).isNotBlank();
                    }
                });
    }

    @Test
    void everyStrictPrefixOfAnEventIsADecodingException() {
        Gen<LedgerEvent> events = Generate.enumValues(EventType.class).zip(HASH.toOptionals(30), KEY.toOptionals(30),
                KEY.toOptionals(30), (t, job, node, account) -> new LedgerEvent(t, job.orElse(null), node.orElse(null),
                        account.orElse(null), 0, "", null)).zip(U64, text(30), Generate.enumValues(VerificationMode.class).toOptionals(30),
                (ev, amount, reason, mode) -> new LedgerEvent(ev.type(), ev.job(), ev.node(), ev.account(), amount, reason,
                        mode.orElse(null)));
        qt().withExamples(300).forAll(events).checkAssert(ev -> {
            byte[] bytes = ev.encode();
            assertThat(LedgerEvent.decode(bytes)).isEqualTo(ev);
            for (int cut = 0; cut < bytes.length; cut++) {
                byte[] prefix = Arrays.copyOf(bytes, cut);
                assertThatThrownBy(() -> LedgerEvent.decode(prefix)).isExactlyInstanceOf(DecodingException.class);
            }
        });
    }

    // ------------------------------------------------------------------------------- amounts

    static long oracle(long amount, long bps) {
        return BigInteger.valueOf(amount).multiply(BigInteger.valueOf(bps)).divide(BigInteger.valueOf(10_000)).longValueExact();
    }

    @Test
    void basisPointsMatchesABigIntegerOracle() {
        Gen<Long> amounts = longs().between(0, Long.MAX_VALUE).mix(longs().between(0, 1_000_000), 30)
                .mix(longs().between(Long.MAX_VALUE - 20_000, Long.MAX_VALUE), 20);
        qt().withExamples(5_000).forAll(amounts, longs().between(0, 10_000))
                .check((amount, bps) -> Amounts.basisPoints(amount, bps) == oracle(amount, bps));

        long[] edgeAmounts = {0, 1, 9_999, 10_000, 10_001, 123_456_789, Long.MAX_VALUE / 10_000, Long.MAX_VALUE - 1, Long.MAX_VALUE};
        long[] edgeBps = {0, 1, 2, 5_000, 9_999, 10_000};
        for (long a : edgeAmounts) {
            for (long b : edgeBps) {
                assertThat(Amounts.basisPoints(a, b)).as("%d * %d / 10000", a, b).isEqualTo(oracle(a, b));
            }
        }
        assertThatThrownBy(() -> Amounts.basisPoints(1, 10_001)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Amounts.basisPoints(1, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Amounts.basisPoints(-1, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
