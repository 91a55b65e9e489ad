// Java (JNA) test of the verification options in JSON (named documents, PDF limits) and of
// the per-revision list of a PDF in the report, on real files of the shared corpus
// (MPE_CORPUS, else ../shared/corpus beside the repository).
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

public class TestSignatureOptions {
    public interface Lib extends MpeNative {
        int mpe_signature_verifier(byte[] sig, long sigLen, byte[] data, long dataLen, byte[] options, long optionsLen, MpeBytes out);
    }

    static Lib lib;

    static int verifier(byte[] sig, String opts, String[] rapport) {
        MpeNative.MpeBytes out = new MpeNative.MpeBytes();
        int st = lib.mpe_signature_verifier(sig, sig.length, null, 0, MpeNative.u8(opts), MpeNative.lg(opts), out);
        rapport[0] = st == 0 ? out.takeString(lib) : null;
        return st;
    }

    public static void main(String[] args) throws Exception {
        lib = MpeNative.load(Lib.class);
        MpeNative.Checks t = new MpeNative.Checks();
        String env = System.getenv("MPE_CORPUS");
        Path corpus = env != null && !env.isEmpty() ? Path.of(env)
            : Path.of(System.getProperty("user.dir")).resolve("../shared/corpus").normalize();
        String[] r = new String[1];

        byte[] pdf = Files.readAllBytes(corpus.resolve("signatures/pades/pyhanko/minimal-signed-twice-both-created.pdf"));
        t.check(verifier(pdf, "{}", r) == 0, "twice-signed PDF " + lib.mpe_derniere_erreur());
        t.check(r[0] != null && r[0].contains("\"revisions\":[{\"numero\":1") && r[0].contains("\"categorie\":\"SIGNATURE\"")
                && !r[0].contains("\"autorise\":false"), "revisions listed, all allowed");
        t.check(verifier(pdf, "{\"limites_pdf\":{\"revisions_max\":1}}", r) == 105, "LIMITE_DEPASSEE");
        t.check("LIMITE_DEPASSEE".equals(lib.mpe_statut_nom(105)) && lib.mpe_derniere_erreur().contains("revisions_max"), "limit named");

        byte[] xml = Files.readAllBytes(corpus.resolve("signatures/xades/dss/Signature-X-HU_MIC-1.xml"));
        byte[] doc = Files.readAllBytes(corpus.resolve("signatures/xades/dss/Signature-X-HU_MIC-1.xml.doc.txt"));
        String opts = "{\"documents_nommes\":{\"doc.txt\":\"" + Base64.getEncoder().encodeToString(doc) + "\"}}";
        t.check(verifier(xml, opts, r) == 0 && r[0].contains("\"statut\":\"INDETERMINE\"") && r[0].contains("\"integrite\":true"),
                "XAdES with its named document");
        t.check(verifier(xml, "{\"documents_nommes\":{\"doc.txt\":\"YXV0cmU=\"}}", r) == 0 && r[0].contains("\"statut\":\"INVALIDE\""),
                "other content: INVALIDE");
        t.check(verifier(xml, "{}", r) == 512, "FICHIER_SIGNE_MANQUANT");
        t.done("TestSignatureOptions");
    }
}
