// Java (JNA) test of the messagerie: recipients, preparing a letter, MIME bytes, register.
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class TestMessagerie {
    public interface Lib extends MpeNative {
        int mpe_courrier_analyser_destinataires(String texte, MpeBytes out);
        int mpe_courrier_generer_modele(String type, byte[] consultation, long len, int lot, MpeBytes out);
        int mpe_courrier_preparer(byte[] json, long len, MpeBytes out);
        int mpe_courrier_generer_message(byte[] envoi, long len, long index, MpeBytes out);
        int mpe_courrier_appliquer_evenements(byte[] registre, long len, byte[] evenements, long evLen, MpeBytes out);
        int mpe_courrier_accuser_reception(byte[] registre, long len, String jeton, String date,
                                           MpeBytes registreOut, MpeBytes evenementOut);
        int mpe_courrier_enregistrer_reponse(byte[] registre, long len, String messageId, String date,
                                             String messageIdReponse, MpeBytes registreOut, MpeBytes evenementOut);
    }

    static String first(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    public static void main(String[] args) throws Exception {
        Lib lib = MpeNative.load(Lib.class);
        MpeNative.Checks t = new MpeNative.Checks();
        Path root = Path.of(System.getProperty("user.dir"));
        byte[] demande = Files.readAllBytes(root.resolve("tests/vectors/messagerie/demande.json"));
        byte[] consultation = Files.readAllBytes(root.resolve("examples/data/consultation.json"));

        MpeNative.MpeBytes out = new MpeNative.MpeBytes();
        t.check(lib.mpe_courrier_analyser_destinataires("x@münchen.de, y@z.fr", out) == 0, "analyser");
        t.check(out.takeString(lib).contains("x@xn--mnchen-3ya.de"), "IDN");
        t.check(lib.mpe_courrier_analyser_destinataires("x@@z.fr", new MpeNative.MpeBytes()) == 800, "invalid");

        out = new MpeNative.MpeBytes();
        t.check(lib.mpe_courrier_generer_modele("notification", consultation, consultation.length, 3, out) == 0, "modele");
        t.check(out.takeString(lib).contains("lot n°3 « Chauffage, ventilation »"), "lot named");

        out = new MpeNative.MpeBytes();
        t.check(lib.mpe_courrier_preparer(demande, demande.length, out) == 0, "preparer: " + lib.mpe_derniere_erreur());
        byte[] envoi = out.take(lib);
        String ej = new String(envoi, StandardCharsets.UTF_8);

        MpeNative.MpeBytes mime = new MpeNative.MpeBytes();
        t.check(lib.mpe_courrier_generer_message(envoi, envoi.length, 0, mime) == 0, "message 0");
        String raw = new String(mime.take(lib), StandardCharsets.US_ASCII);
        t.check(raw.startsWith("From: "), "headers");
        t.check(raw.contains("Content-Transfer-Encoding: base64\r\n"), "base64 attachments");
        t.check(lib.mpe_courrier_generer_message(envoi, envoi.length, 9, new MpeNative.MpeBytes()) == 101, "index");

        out = new MpeNative.MpeBytes();
        t.check(lib.mpe_courrier_appliquer_evenements(null, 0, envoi, envoi.length, out) == 0, "registre");
        byte[] registre = out.take(lib);
        String jeton = first(ej, "jeton");
        MpeNative.MpeBytes r2 = new MpeNative.MpeBytes();
        MpeNative.MpeBytes ev = new MpeNative.MpeBytes();
        t.check(lib.mpe_courrier_accuser_reception(registre, registre.length, jeton, "2026-11-21T08:15:00Z", r2, ev) == 0, "accuser");
        byte[] registre2 = r2.take(lib);
        t.check(ev.takeString(lib).contains("\"evenement\":\"ouvert\""), "event");
        String mid = first(ej.substring(ej.indexOf("\"messages\"")), "message_id");
        r2 = new MpeNative.MpeBytes();
        ev = new MpeNative.MpeBytes();
        t.check(lib.mpe_courrier_enregistrer_reponse(registre2, registre2.length, "<" + mid + ">", "2026-11-22T10:00:00Z",
                "rep@x.fr", r2, ev) == 0, "reponse");
        String rj = r2.takeString(lib);
        t.check(rj.contains("\"statut\":\"repondu\""), "repondu");
        t.check(ev.takeString(lib).contains("rep@x.fr"), "reply id");
        t.done("TestMessagerie");
    }
}
