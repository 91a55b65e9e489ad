// Java (JNA) test of the other recipient kinds and of tokens: envelopes `openssl cms -encrypt
// -secretkey/-secretkeyid` (KEK) and `-pwri_password` make, decrypted; a SoftHSM2 token made by
// tests/pkcs11/jeton_softhsm.sh listed, decrypting what openssl encrypted to its certificate and
// signing a CAdES `openssl cms -verify` accepts; a wrong PIN is PIN_INCORRECT (411); the test
// identity's chain verified by openssl. Missing openssl/softhsm2/pkcs11-tool is a failure.
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

public class TestCmsSecretJeton {
    public interface Lib extends MpeNative {
        int mpe_cms_dechiffrer_kek(byte[] e, long ne, byte[] k, long nk, byte[] i, long ni, byte[] o, long no,
                                   MpeBytes clair, MpeBytes rapport);
        int mpe_cms_dechiffrer_mot_de_passe(byte[] e, long ne, byte[] m, long nm, byte[] o, long no, MpeBytes clair,
                                            MpeBytes rapport);
        int mpe_cms_dechiffrer_jeton(byte[] e, long ne, byte[] r, long nr, String pin, byte[] o, long no,
                                     MpeBytes clair, MpeBytes rapport);
        int mpe_pkcs11_lister(String module, String maintenant, MpeBytes sortie);
        int mpe_signature_signer_jeton(String format, byte[] r, long nr, String pin, byte[] c, long nc, byte[] d,
                                       long nd, byte[] o, long no, MpeBytes sortie);
        int mpe_identite_test_generer(byte[] p, long np, String maintenant, String mdp, MpeBytes p12, MpeBytes ac);
    }

    /** libc's setenv: SoftHSM reads SOFTHSM2_CONF when mpe loads the module. */
    public interface LibC extends Library {
        int setenv(String nom, String valeur, int remplacer);
    }

    static void sh(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " : " + out);
        }
    }

    public static void main(String[] args) throws Exception {
        Lib lib = MpeNative.load(Lib.class);
        MpeNative.Checks t = new MpeNative.Checks();
        Path d = Files.createTempDirectory("mpe-java-secret");
        byte[] clair = "Offre de prix, lot 2 : 12 345,67 EUR\n".getBytes(StandardCharsets.UTF_8);
        Files.write(d.resolve("clair.txt"), clair);
        byte[] kek = new byte[32];
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < 32; i++) { kek[i] = (byte) i; hex.append(String.format("%02x", i)); }
        sh(d, "openssl", "cms", "-encrypt", "-binary", "-aes256", "-secretkey", hex.toString(), "-secretkeyid",
           "6b656b2d3031", "-in", "clair.txt", "-outform", "DER", "-out", "kek.der");
        sh(d, "openssl", "cms", "-encrypt", "-binary", "-aes128", "-pwri_password", "mot de passe", "-in", "clair.txt",
           "-outform", "DER", "-out", "pwri.der");

        byte[] env = Files.readAllBytes(d.resolve("kek.der"));
        byte[] id = MpeNative.u8("kek-01");
        MpeNative.MpeBytes c = new MpeNative.MpeBytes(), r = new MpeNative.MpeBytes();
        t.check(lib.mpe_cms_dechiffrer_kek(env, env.length, kek, kek.length, id, id.length, null, 0, c, r) == 0,
                "KEK " + lib.mpe_derniere_erreur());
        t.check(Arrays.equals(c.take(lib), clair), "KEK plaintext");
        t.check(r.takeString(lib).contains("\"type\":\"kekri\""), "kekri");
        byte[] autre = MpeNative.u8("kek-02");
        t.check(lib.mpe_cms_dechiffrer_kek(env, env.length, kek, kek.length, autre, autre.length, null, 0,
                new MpeNative.MpeBytes(), null) == 401, "AUCUN_DESTINATAIRE");

        env = Files.readAllBytes(d.resolve("pwri.der"));
        byte[] mdp = MpeNative.u8("mot de passe");
        c = new MpeNative.MpeBytes();
        t.check(lib.mpe_cms_dechiffrer_mot_de_passe(env, env.length, mdp, mdp.length, null, 0, c, null) == 0, "PWRI");
        t.check(Arrays.equals(c.take(lib), clair), "PWRI plaintext");
        byte[] faux = MpeNative.u8("mot de passf");
        t.check(lib.mpe_cms_dechiffrer_mot_de_passe(env, env.length, faux, faux.length, null, 0,
                new MpeNative.MpeBytes(), null) == 405, "MOT_DE_PASSE_INCORRECT");

        // The SoftHSM2 token.
        Path racine = Path.of(System.getProperty("user.dir"));
        Path j = d.resolve("jeton");
        sh(racine, racine.resolve("tests/pkcs11/jeton_softhsm.sh").toString(), j.toString());
        Native.load("c", LibC.class).setenv("SOFTHSM2_CONF", j.resolve("softhsm2.conf").toString(), 1);
        Files.write(j.resolve("clair.txt"), clair);
        sh(j, "openssl", "cms", "-encrypt", "-binary", "-aes-256-gcm", "-in", "clair.txt", "-outform", "DER", "-out",
           "rsa.der", "-recip", "cle-rsa.crt.pem");
        String module = "/usr/lib/softhsm/libsofthsm2.so";
        String maintenant = java.time.Instant.now().plusSeconds(1).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        MpeNative.MpeBytes l = new MpeNative.MpeBytes();
        t.check(lib.mpe_pkcs11_lister(module, maintenant, l) == 0, "list " + lib.mpe_derniere_erreur());
        String liste = l.takeString(lib);
        t.check(liste.contains("\"libelle\":\"mpe-test\"") && liste.contains("Jeton cle-ec"), "token and certificates listed");
        byte[] ref = MpeNative.u8("{\"module\":\"" + module + "\",\"jeton\":\"mpe-test\",\"cle\":\"cle-rsa\"}");
        env = Files.readAllBytes(j.resolve("rsa.der"));
        c = new MpeNative.MpeBytes();
        t.check(lib.mpe_cms_dechiffrer_jeton(env, env.length, ref, ref.length, "123456", null, 0, c, null) == 0,
                "decrypt on the token " + lib.mpe_derniere_erreur());
        t.check(Arrays.equals(c.take(lib), clair), "token plaintext");
        t.check(lib.mpe_cms_dechiffrer_jeton(env, env.length, ref, ref.length, "000000", null, 0,
                new MpeNative.MpeBytes(), null) == 411, "PIN_INCORRECT");
        byte[] opts = MpeNative.u8("{\"date\":\"" + maintenant + "\",\"forcer\":true}");
        MpeNative.MpeBytes sig = new MpeNative.MpeBytes();
        t.check(lib.mpe_signature_signer_jeton("cades", ref, ref.length, "123456", null, 0, clair, clair.length, opts,
                opts.length, sig) == 0, "sign on the token " + lib.mpe_derniere_erreur());
        Files.write(j.resolve("s.p7s"), sig.take(lib));
        sh(j, "openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", "s.p7s", "-content", "clair.txt",
           "-CAfile", "cle-rsa.crt.pem", "-purpose", "any", "-out", "/dev/null");

        // The test identity.
        byte[] p = MpeNative.u8("{\"sujet\":\"CN=Jeanne Essai,O=Exemple SA,C=FR\"}");
        MpeNative.MpeBytes p12 = new MpeNative.MpeBytes(), ac = new MpeNative.MpeBytes();
        t.check(lib.mpe_identite_test_generer(p, p.length, maintenant, "essai", p12, ac) == 0, "test identity");
        Files.write(d.resolve("i.p12"), p12.take(lib));
        Files.write(d.resolve("ac.pem"), ac.take(lib));
        sh(d, "openssl", "pkcs12", "-in", "i.p12", "-passin", "pass:essai", "-nokeys", "-out", "c.pem");
        sh(d, "openssl", "verify", "-CAfile", "ac.pem", "-untrusted", "c.pem", "c.pem");

        sh(d, "rm", "-rf", d.toString());
        t.done("TestCmsSecretJeton");
    }
}
