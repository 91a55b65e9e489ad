// Java (JNA) test of the long-term signature ABI (B-LT, B-LTA): validation data collected
// with the host's CRL and added to the /DSS, the verification reading the CRL from the
// file; a document timestamp prepared and a token over other bytes refused (571).
import java.nio.file.Files;
import java.nio.file.Path;

public class TestLongTerme {
    public interface Lib extends MpeNative {
        int mpe_signature_signer(String format, byte[] key, long keyLen, byte[] certs, long certsLen,
                byte[] data, long dataLen, byte[] options, long optionsLen, MpeBytes out);
        int mpe_signature_verifier(byte[] sig, long sigLen, byte[] data, long dataLen, byte[] options, long optionsLen, MpeBytes out);
        int mpe_signature_collecter_donnees_validation(byte[] s, long ns, byte[] o, long no, MpeBytes out);
        int mpe_signature_ajouter_donnees_validation(byte[] s, long ns, byte[] d, long nd, MpeBytes out);
        int mpe_horodatage_generer_requete(byte[] s, long ns, long nonce, MpeBytes out);
        int mpe_horodatage_preparer_document(byte[] s, long ns, long nonce, MpeBytes out);
        int mpe_horodatage_finir_document(byte[] p, long np, byte[] j, long nj, MpeBytes out);
    }

    static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\n", "\\n").replace("\"", "\\\"") + "\"";
    }

    public static void main(String[] args) throws Exception {
        Lib lib = MpeNative.load(Lib.class);
        MpeNative.Checks t = new MpeNative.Checks();
        Path v = Path.of(System.getProperty("user.dir")).resolve("tests/vectors/signature");
        byte[] key = Files.readAllBytes(v.resolve("signataire.key"));
        byte[] cert = Files.readAllBytes(v.resolve("signataire.pem"));
        byte[] pdf = Files.readAllBytes(v.resolve("simple.pdf"));
        String ca = Files.readString(v.resolve("ca.pem"));
        String crl = Files.readString(v.resolve("crl.pem"));

        String so = "{\"date\":\"2027-01-15T10:00:00Z\"}";
        MpeNative.MpeBytes out = new MpeNative.MpeBytes();
        t.check(lib.mpe_signature_signer("pades", key, key.length, cert, cert.length, pdf, pdf.length,
                MpeNative.u8(so), MpeNative.lg(so), out) == 0, "signer");
        byte[] sig = out.take(lib);

        String avecCrl = "{\"date_verification\":\"2027-01-15T12:00:00Z\",\"ancres_pem\":" + json(ca) + ",\"crls_pem\":" + json(crl) + "}";
        out = new MpeNative.MpeBytes();
        t.check(lib.mpe_signature_collecter_donnees_validation(sig, sig.length, MpeNative.u8(avecCrl), MpeNative.lg(avecCrl), out) == 0, "collecter");
        byte[] donnees = out.take(lib);
        t.check(new String(donnees).contains("\"crls\":[\""), "collecter: CRL");

        out = new MpeNative.MpeBytes();
        t.check(lib.mpe_signature_ajouter_donnees_validation(sig, sig.length, donnees, donnees.length, out) == 0, "ajouter");
        byte[] lt = out.take(lib);
        t.check(lt.length > sig.length && new String(lt, java.nio.charset.StandardCharsets.ISO_8859_1).contains("/DSS"), "/DSS");

        String sansCrl = "{\"date_verification\":\"2027-01-15T12:00:00Z\",\"ancres_pem\":" + json(ca) + "}";
        out = new MpeNative.MpeBytes();
        t.check(lib.mpe_signature_verifier(lt, lt.length, null, 0, MpeNative.u8(sansCrl), MpeNative.lg(sansCrl), out) == 0, "vérifier");
        String r = out.takeString(lib);
        t.check(r.contains("\"statut\":\"VALIDE\"") && r.contains("\"source\":\"CRL\""), "VALIDE, CRL du /DSS");

        out = new MpeNative.MpeBytes();
        t.check(lib.mpe_horodatage_preparer_document(lt, lt.length, 4, out) == 0, "préparer");
        byte[] prep = out.take(lib);
        t.check(new String(prep).contains("\"requete\":\""), "préparer: requête");
        byte[] mauvais = {0x30, 0x00};
        out = new MpeNative.MpeBytes();
        t.check(lib.mpe_horodatage_finir_document(prep, prep.length, mauvais, mauvais.length, out) == 513, "jeton refusé");
        t.done("TestLongTerme");
    }
}
