package dev.verity.devnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.core.PrivateKey;
import dev.verity.devtee.DevSevSnpPlatform;
import dev.verity.ledger.Genesis;
import dev.verity.protocol.consensus.ValidatorInfo;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a devnet's validators listen: chosen once, written into its genesis with every validator funded, and read back
 * from there on a restart; a devnet keeps the number of validators it was set up with. No process is started here.
 */
class DevnetValidatorsTest {
    @TempDir
    Path dir;

    @Test
    void aNewDevnetPicksDistinctPortsAndARestartReadsThemBackFromItsGenesis() {
        DevnetKeys keys = DevnetKeys.loadOrCreate(dir.resolve("keys"), 1, 3);
        assertThat(keys.validators()).hasSize(3);
        assertThat(keys.validator().publicKey()).isEqualTo(keys.validators().get(0).publicKey());
        assertThat(dir.resolve("keys/validator.json")).isRegularFile();
        assertThat(dir.resolve("keys/validator-2.json")).isRegularFile();
        assertThat(dir.resolve("keys/validator-3.json")).isRegularFile();
        assertThat(DevnetKeys.loadOrCreate(dir.resolve("keys"), 1, 3).validators()).as("the same keys again")
                .extracting(PrivateKey::publicKey).containsExactlyElementsOf(keys.validators().stream().map(PrivateKey::publicKey).toList());

        Path genesisFile = dir.resolve("genesis.bin");
        DevnetValidators first = DevnetValidators.plan(genesisFile, keys, 0);
        Set<Integer> ports = new HashSet<>();
        for (DevnetValidators.Member m : first.members()) {
            ports.add(m.raftPort());
            ports.add(m.apiPort());
        }
        assertThat(ports).as("a replication and an API port each, all distinct").hasSize(6);
        assertThat(first.members().get(1).name()).isEqualTo("validator-2");
        assertThat(first.members().get(1).dataDir(dir)).isEqualTo(dir.resolve("chain-2"));
        assertThat(first.peerArgs()).hasSize(6).contains(first.members().get(2).peerSpec());
        assertThat(first.members().get(0).peerSpec()).isEqualTo(keys.validator().publicKey().hex() + "=127.0.0.1:"
                + first.members().get(0).raftPort() + "@http://127.0.0.1:" + first.members().get(0).apiPort());

        long now = System.currentTimeMillis();
        DevSevSnpPlatform platform = DevnetPlatform.loadOrCreate(dir.resolve("keys/dev-sev-snp"), now);
        Genesis genesis = DevnetGenesis.loadOrCreate(genesisFile, keys, first.infos(), platform, DevEnclave.buildMeasurement(),
                DevnetGenesis.params(), now);
        assertThat(genesis.validators()).extracting(ValidatorInfo::apiUrl).containsExactlyElementsOf(first.apiUrls());
        for (var v : keys.validators()) {
            assertThat(genesis.allocations()).as("every validator's account is funded (it signs equivocation reports)")
                    .contains(new Genesis.Allocation(v.publicKey(), DevnetGenesis.VALIDATOR_FUNDS));
        }

        assertThat(DevnetValidators.plan(genesisFile, keys, 0)).as("a restart: the same ports").isEqualTo(first);
        DevnetValidators onPort = DevnetValidators.plan(genesisFile, keys, 9100);
        assertThat(onPort.apiUrls()).as("a restart on a given port serves the APIs from there")
                .containsExactly("http://127.0.0.1:9100", "http://127.0.0.1:9101", "http://127.0.0.1:9102");
        assertThat(onPort.members()).extracting(DevnetValidators.Member::raftPort)
                .containsExactlyElementsOf(first.members().stream().map(DevnetValidators.Member::raftPort).toList());

        DevnetKeys two = DevnetKeys.loadOrCreate(dir.resolve("keys"), 1, 2);
        assertThatThrownBy(() -> DevnetValidators.plan(genesisFile, two, 0))
                .hasMessageContaining("set up with 3 validators").hasMessageContaining("--validators 3");
    }

    @Test
    void aNewDevnetOnAGivenPortServesTheApisFromThere() {
        DevnetKeys keys = DevnetKeys.loadOrCreate(dir.resolve("keys"), 0, 2);
        DevnetValidators plan = DevnetValidators.plan(dir.resolve("genesis.bin"), keys, 8645);
        assertThat(plan.apiUrls()).containsExactly("http://127.0.0.1:8645", "http://127.0.0.1:8646");
        assertThat(List.of(plan.members().get(0).raftPort(), plan.members().get(1).raftPort())).doesNotHaveDuplicates()
                .allSatisfy(p -> assertThat(p).isBetween(1, 65535));
    }

    @Test
    void theSingleValidatorGenesisIsUnchanged() {
        DevnetKeys keys = DevnetKeys.loadOrCreate(dir.resolve("keys"), 1);
        assertThat(keys.validators()).hasSize(1);
        long now = System.currentTimeMillis();
        DevSevSnpPlatform platform = DevnetPlatform.loadOrCreate(dir.resolve("keys/dev-sev-snp"), now);
        Genesis genesis = DevnetGenesis.loadOrCreate(dir.resolve("genesis.bin"), keys, platform, DevEnclave.buildMeasurement(),
                DevnetGenesis.params(), now);
        assertThat(genesis.validators()).containsExactly(Genesis.validator(keys.validator().publicKey()));
    }
}
