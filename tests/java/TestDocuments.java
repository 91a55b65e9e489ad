// Java (JNA) test of the documents slice: catalogue, form generation, merge, fields,
// document space, typed errors.
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

public class TestDocuments {
    interface Lib extends MpeNative {
        int mpe_formulaire_lister(MpeBytes out);
        int mpe_formulaire_lire_exemple(MpeBytes out);
        int mpe_formulaire_generer(String code, byte[] procedureJson, long procedureLen, MpeBytes out);
        int mpe_formulaire_lire_modele(String code, MpeBytes out);
        int mpe_formulaire_generer_donnees(String code, byte[] procedureJson, long procedureLen, MpeBytes out);
        int mpe_document_fusionner(byte[] template, long len, byte[] dataJson, long dataLen, byte[] optionsJson, long optionsLen, MpeBytes out);
        int mpe_document_fusionner_fichier(String templatePath, byte[] dataJson, long dataLen, byte[] optionsJson, long optionsLen, String outputPath);
        int mpe_document_lister_champs(byte[] template, long len, MpeBytes out);
        int mpe_espace_nouveau(String consultation, MpeBytes out);
        int mpe_espace_ajouter(byte[] space, long spaceLen, String category, String name, byte[] data, long len,
                                   String date, String model, MpeBytes out);
        int mpe_espace_lister(byte[] space, long spaceLen, String category, MpeBytes out);
        int mpe_espace_exporter_zip(byte[] space, long spaceLen, byte[] selection, long selectionLen, byte[] paths, long pathsLen, String outputPath);
    }

    public static void main(String[] args) throws Exception {
        Lib lib = MpeNative.load(Lib.class);
        MpeNative.Checks c = new MpeNative.Checks();
        MpeNative.MpeBytes b = new MpeNative.MpeBytes();

        c.check(lib.mpe_formulaire_lister(b) == 0, "catalogue");
        String catalogue = b.takeString(lib);
        c.check(catalogue.contains("\"NOT18\"") && catalogue.contains("Caution personnelle et solidaire"), "NOT18");

        c.check(lib.mpe_formulaire_lire_exemple(b) == 0, "exemple");
        String procedure = b.takeString(lib);
        c.check(lib.mpe_formulaire_generer("OUV9", MpeNative.u8(procedure), MpeNative.lg(procedure), b) == 0, "OUV9");
        byte[] docx = b.take(lib);
        c.check(docx.length > 1000 && docx[0] == 'P' && docx[1] == 'K', "DOCX");
        c.check(lib.mpe_document_lister_champs(docx, docx.length, b) == 0, "relecture");
        c.check(b.takeString(lib).equals("[]"), "aucun champ restant");

        c.check(lib.mpe_formulaire_lire_modele("OUV9", b) == 0, "modèle");
        byte[] tpl = b.take(lib);
        c.check(lib.mpe_formulaire_generer_donnees("OUV9", MpeNative.u8(procedure), MpeNative.lg(procedure), b) == 0, "données");
        String data = b.takeString(lib);
        c.check(lib.mpe_document_fusionner(tpl, tpl.length, MpeNative.u8(data), MpeNative.lg(data), null, 0, b) == 0, "fusion");
        c.check(b.take(lib).length == docx.length, "même document");

        int st = lib.mpe_document_fusionner(tpl, tpl.length, MpeNative.u8("{}"), MpeNative.lg("{}"), null, 0, b);
        c.check(st == 601 && "DONNEES_MANQUANTES".equals(lib.mpe_statut_nom(st)), "données manquantes");
        c.check(lib.mpe_derniere_erreur().contains("commission.president"), "message");
        c.check(lib.mpe_formulaire_generer("X", MpeNative.u8(procedure), MpeNative.lg(procedure), b) == 602, "inconnu");

        Path dir = Files.createTempDirectory("mpe-java");
        Path in = dir.resolve("ouv9.docx");
        Files.write(in, tpl);
        Path out = dir.resolve("out.docx");
        c.check(lib.mpe_document_fusionner_fichier(in.toString(), MpeNative.u8(data), MpeNative.lg(data), MpeNative.u8("{\"strict\": true}"), MpeNative.lg("{\"strict\": true}"), out.toString()) == 0, "fichier");
        c.check(Files.size(out) == docx.length, "taille");

        c.check(lib.mpe_espace_nouveau("2026-TRV-014", b) == 0, "espace");
        String space = b.takeString(lib);
        c.check(lib.mpe_espace_ajouter(MpeNative.u8(space), MpeNative.lg(space), "generees", "OUV9.docx", docx, docx.length,
                "2026-03-20T18:00:00+01:00", "OUV9", b) == 0, "ajout");
        space = b.takeString(lib);
        c.check(lib.mpe_espace_lister(MpeNative.u8(space), MpeNative.lg(space), null, b) == 0, "liste");
        c.check(b.takeString(lib).contains("\"taille\":" + docx.length), "taille listée");
        Path zip = dir.resolve("espace.zip");
        String paths = "{\"P000001\": \"" + out.toString().replace("\\", "\\\\") + "\"}";
        c.check(lib.mpe_espace_exporter_zip(MpeNative.u8(space), MpeNative.lg(space), MpeNative.u8("[]"), MpeNative.lg("[]"), MpeNative.u8(paths), MpeNative.lg(paths), zip.toString()) == 0, "zip");
        c.check(Files.size(zip) > 1000, "zip écrit");

        c.done("TestDocuments");
    }
}
