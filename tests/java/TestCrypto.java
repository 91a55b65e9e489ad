// Java (JNA) test of the crypto area: CMS buffers and files, key pairs, errors, offline
// decryption with a progress callback.
import com.sun.jna.Callback;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

public class TestCrypto {
    public interface Progress extends Callback {
        void invoke(Pointer userData, String stepJson);
    }

    public interface Lib extends MpeNative {
        int mpe_cms_chiffrer(byte[] data, long len, byte[] certs, long certsLen, byte[] options, long optionsLen, MpeBytes out);
        int mpe_cms_dechiffrer(byte[] data, long len, byte[] bicle, long bicleLen, String password, MpeBytes out);
        int mpe_cms_chiffrer_fichier(String in, String out, byte[] certs, long certsLen, byte[] options, long optionsLen);
        int mpe_cms_dechiffrer_fichier(String in, String out, byte[] bicle, long bicleLen, String password, MpeBytes info);
        int mpe_bicle_generer(byte[] params, long paramsLen, String now, String password, MpeBytes out);
        int mpe_bicle_decrire(byte[] data, long len, String password, MpeBytes out);
        int mpe_ouverture_exporter(byte[] envelopes, long envelopesLen, String dir, MpeBytes out);
        int mpe_ouverture_dechiffrer_dossier(String dir, byte[] bicle, long bicleLen, String password, String outDir,
                                         Progress cb, Pointer userData, MpeBytes out);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    public static void main(String[] args) throws Exception {
        Lib lib = MpeNative.load(Lib.class);
        MpeNative.Checks t = new MpeNative.Checks();
        Path v = Path.of(System.getProperty("user.dir")).resolve("tests/vectors/crypto");
        byte[] aliceCert = Files.readAllBytes(v.resolve("alice.cert.pem"));
        byte[] alice = concat(aliceCert, Files.readAllBytes(v.resolve("alice.key.pem")));
        byte[] bobCert = Files.readAllBytes(v.resolve("bob.cert.pem"));
        byte[] bob = concat(bobCert, Files.readAllBytes(v.resolve("bob.key.pem")));
        byte[] certs = concat(aliceCert, bobCert);
        byte[] p12 = Files.readAllBytes(v.resolve("alice.p12"));

        byte[] msg = "Offre — société Dupont".getBytes(StandardCharsets.UTF_8);
        for (String opts : new String[] {null, "{\"chiffrement\":\"AES-256-CBC\",\"transport\":\"RSA-PKCS1-v1_5\"}"}) {
            MpeNative.MpeBytes out = new MpeNative.MpeBytes();
            t.check(lib.mpe_cms_chiffrer(msg, msg.length, certs, certs.length, MpeNative.u8(opts), MpeNative.lg(opts), out) == 0, "encrypt");
            byte[] env = out.take(lib);
            out = new MpeNative.MpeBytes();
            t.check(lib.mpe_cms_dechiffrer(env, env.length, bob, bob.length, null, out) == 0, "decrypt bob");
            t.check(Arrays.equals(out.take(lib), msg), "plaintext bob");
            out = new MpeNative.MpeBytes();
            t.check(lib.mpe_cms_dechiffrer(env, env.length, p12, p12.length, "secret", out) == 0, "decrypt p12");
            t.check(Arrays.equals(out.take(lib), msg), "plaintext p12");
        }
        t.check(lib.mpe_bicle_decrire(p12, p12.length, "faux", new MpeNative.MpeBytes()) == 405, "wrong password");
        MpeNative.MpeBytes out = new MpeNative.MpeBytes();
        lib.mpe_cms_chiffrer(msg, msg.length, aliceCert, aliceCert.length, null, 0, out);
        byte[] env = out.take(lib);
        t.check(lib.mpe_cms_dechiffrer(env, env.length, bob, bob.length, null, new MpeNative.MpeBytes()) == 401, "wrong key");
        t.check("AUCUN_DESTINATAIRE".equals(lib.mpe_statut_nom(401)), "status name");

        Path dir = Files.createTempDirectory("mpe-java-crypto");
        byte[] big = new byte[400_000];
        new java.util.Random(1).nextBytes(big);
        Files.write(dir.resolve("offre.bin"), big);
        t.check(lib.mpe_cms_chiffrer_fichier(dir.resolve("offre.bin").toString(), dir.resolve("offre.p7m").toString(),
                certs, certs.length, null, 0) == 0, "encrypt_file");
        out = new MpeNative.MpeBytes();
        t.check(lib.mpe_cms_dechiffrer_fichier(dir.resolve("offre.p7m").toString(), dir.resolve("offre.out").toString(),
                alice, alice.length, null, out) == 0, "decrypt_file");
        t.check(out.takeString(lib).contains("\"taille\":400000"), "info");
        t.check(Arrays.equals(Files.readAllBytes(dir.resolve("offre.out")), big), "file content");

        String list = "[{\"consultation\":\"2026-AO-01\",\"id\":\"pli1\",\"chemin\":\""
                + dir.resolve("offre.p7m").toString().replace("\\", "\\\\") + "\"}]";
        t.check(lib.mpe_ouverture_exporter(MpeNative.u8(list), MpeNative.lg(list), dir.resolve("export").toString(), new MpeNative.MpeBytes()) == 0, "export");
        List<String> steps = new ArrayList<>();
        Progress cb = (user, json) -> steps.add(json);
        out = new MpeNative.MpeBytes();
        t.check(lib.mpe_ouverture_dechiffrer_dossier(dir.resolve("export").toString(), alice, alice.length, null,
                dir.resolve("ouvertes").toString(), cb, null, out) == 0, "offline");
        t.check(out.takeString(lib).contains("\"ouvertes\":1"), "report");
        t.check(steps.size() == 4 && steps.get(3).contains("termine"), "progress " + steps);

        out = new MpeNative.MpeBytes();
        t.check(lib.mpe_bicle_generer(MpeNative.u8("{\"titulaire\":\"Jean DUPONT\",\"bits\":2048}"), MpeNative.lg("{\"titulaire\":\"Jean DUPONT\",\"bits\":2048}"), "2026-11-01T00:00:00Z", "pw", out) == 0, "generate");
        byte[] gen = out.take(lib);
        out = new MpeNative.MpeBytes();
        t.check(lib.mpe_bicle_decrire(gen, gen.length, "pw", out) == 0, "info");
        t.check(out.takeString(lib).contains("Clé de déchiffrement de Jean DUPONT"), "CN");
        t.done("TestCrypto");
    }
}
