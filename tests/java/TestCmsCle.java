// Java (JNA) test of decryption with a key alone (EC), the legacy option and EC key pairs,
// on real envelopes of the shared corpus (MPE_CORPUS, else ../shared/corpus).
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

public class TestCmsCle {
    public interface Lib extends MpeNative {
        int mpe_cms_dechiffrer_cle(byte[] cms, long cmsLen, byte[] key, long keyLen, String password,
                                  byte[] options, long optionsLen, MpeBytes plain, MpeBytes report);
        int mpe_cms_chiffrer(byte[] d, long nd, byte[] c, long nc, byte[] o, long no, MpeBytes out);
        int mpe_bicle_generer_ec(byte[] p, long np, String curve, String now, String password, MpeBytes out);
    }

    public static void main(String[] args) throws Exception {
        Lib lib = MpeNative.load(Lib.class);
        MpeNative.Checks t = new MpeNative.Checks();
        String env = System.getenv("MPE_CORPUS");
        Path corpus = env != null && !env.isEmpty() ? Path.of(env)
            : Path.of(System.getProperty("user.dir")).resolve("../shared/corpus").normalize();

        byte[] cms = Files.readAllBytes(corpus.resolve("cms/bouncycastle/EnvelopedData_ECDH-SHA256KDF_AES256.pem"));
        byte[] key = Files.readAllBytes(corpus.resolve("cms/bouncycastle/recipient_p256.pem"));
        MpeNative.MpeBytes plain = new MpeNative.MpeBytes(), report = new MpeNative.MpeBytes();
        t.check(lib.mpe_cms_dechiffrer_cle(cms, cms.length, key, key.length, null, null, 0, plain, report) == 0,
                "EC key alone " + lib.mpe_derniere_erreur());
        t.check(Arrays.equals(plain.take(lib), Files.readAllBytes(corpus.resolve("cms/bouncycastle/plaintext.txt"))), "plaintext");
        t.check(report.takeString(lib).contains("\"type\":\"kari\""), "kari");

        byte[] des = Files.readAllBytes(corpus.resolve("cms/heimdal/test-enveloped-des-ede3"));
        byte[] desKey = Files.readAllBytes(corpus.resolve("cms/heimdal/test.key"));
        t.check(lib.mpe_cms_dechiffrer_cle(des, des.length, desKey, desKey.length, null, null, 0, new MpeNative.MpeBytes(), null) == 410,
                "ALGORITHME_OBSOLETE");
        byte[] legacy = MpeNative.u8("{\"legacy\":true}");
        plain = new MpeNative.MpeBytes();
        t.check(lib.mpe_cms_dechiffrer_cle(des, des.length, desKey, desKey.length, null, legacy, legacy.length, plain, null) == 0, "legacy");
        t.check(Arrays.equals(plain.take(lib), Files.readAllBytes(corpus.resolve("cms/heimdal/static-file"))), "3DES plaintext");

        byte[] p = MpeNative.u8("{\"titulaire\":\"Jeanne EC\"}");
        MpeNative.MpeBytes pemOut = new MpeNative.MpeBytes();
        t.check(lib.mpe_bicle_generer_ec(p, p.length, "X25519", "2026-11-01T00:00:00Z", "pw", pemOut) == 0, "generate X25519");
        byte[] pem = pemOut.take(lib);
        byte[] data = "offre X25519".getBytes(StandardCharsets.UTF_8);
        MpeNative.MpeBytes enc = new MpeNative.MpeBytes();
        t.check(lib.mpe_cms_chiffrer(data, data.length, pem, pem.length, null, 0, enc) == 0, "encrypt to X25519");
        byte[] env2 = enc.take(lib);
        plain = new MpeNative.MpeBytes();
        t.check(lib.mpe_cms_dechiffrer_cle(env2, env2.length, pem, pem.length, "pw", null, 0, plain, null) == 0, "decrypt X25519");
        t.check(Arrays.equals(plain.take(lib), data), "X25519 round trip");
        t.check(lib.mpe_cms_dechiffrer_cle(env2, env2.length, pem, pem.length, "faux", null, 0, new MpeNative.MpeBytes(), null) == 405,
                "MOT_DE_PASSE_INCORRECT");
        t.done("TestCmsCle");
    }
}
