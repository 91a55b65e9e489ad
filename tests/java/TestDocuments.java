// Java (JNA) test of the documents slice: catalogue, form generation, merge, fields,
// document space, typed errors.
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

public class TestDocuments {
    interface Lib extends MpeNative {
        int mpe_document_form_list(MpeBytes out);
        int mpe_document_procedure_example(MpeBytes out);
        int mpe_document_form_generate(String code, String procedureJson, MpeBytes out);
        int mpe_document_form_template(String code, MpeBytes out);
        int mpe_document_form_data(String code, String procedureJson, MpeBytes out);
        int mpe_document_merge(byte[] template, long len, String dataJson, String optionsJson, MpeBytes out);
        int mpe_document_merge_file(String templatePath, String dataJson, String optionsJson, String outputPath);
        int mpe_document_fields(byte[] template, long len, MpeBytes out);
        int mpe_document_space_new(String consultation, MpeBytes out);
        int mpe_document_space_add(String space, String category, String name, byte[] data, long len,
                                   String date, String model, MpeBytes out);
        int mpe_document_space_list(String space, String category, MpeBytes out);
        int mpe_document_space_zip(String space, String selection, String paths, String outputPath);
    }

    public static void main(String[] args) throws Exception {
        Lib lib = MpeNative.load(Lib.class);
        MpeNative.Checks c = new MpeNative.Checks();
        MpeNative.MpeBytes b = new MpeNative.MpeBytes();

        c.check(lib.mpe_document_form_list(b) == 0, "catalogue");
        String catalogue = b.takeString(lib);
        c.check(catalogue.contains("\"NOT18\"") && catalogue.contains("Caution personnelle et solidaire"), "NOT18");

        c.check(lib.mpe_document_procedure_example(b) == 0, "exemple");
        String procedure = b.takeString(lib);
        c.check(lib.mpe_document_form_generate("OUV9", procedure, b) == 0, "OUV9");
        byte[] docx = b.take(lib);
        c.check(docx.length > 1000 && docx[0] == 'P' && docx[1] == 'K', "DOCX");
        c.check(lib.mpe_document_fields(docx, docx.length, b) == 0, "relecture");
        c.check(b.takeString(lib).equals("[]"), "aucun champ restant");

        c.check(lib.mpe_document_form_template("OUV9", b) == 0, "modèle");
        byte[] tpl = b.take(lib);
        c.check(lib.mpe_document_form_data("OUV9", procedure, b) == 0, "données");
        String data = b.takeString(lib);
        c.check(lib.mpe_document_merge(tpl, tpl.length, data, null, b) == 0, "fusion");
        c.check(b.take(lib).length == docx.length, "même document");

        int st = lib.mpe_document_merge(tpl, tpl.length, "{}", null, b);
        c.check(st == 601 && "DONNEES_MANQUANTES".equals(lib.mpe_status_name(st)), "données manquantes");
        c.check(lib.mpe_last_error().contains("commission.president"), "message");
        c.check(lib.mpe_document_form_generate("X", procedure, b) == 602, "inconnu");

        Path dir = Files.createTempDirectory("mpe-java");
        Path in = dir.resolve("ouv9.docx");
        Files.write(in, tpl);
        Path out = dir.resolve("out.docx");
        c.check(lib.mpe_document_merge_file(in.toString(), data, "{\"strict\": true}", out.toString()) == 0, "fichier");
        c.check(Files.size(out) == docx.length, "taille");

        c.check(lib.mpe_document_space_new("2026-TRV-014", b) == 0, "espace");
        String space = b.takeString(lib);
        c.check(lib.mpe_document_space_add(space, "generees", "OUV9.docx", docx, docx.length,
                "2026-03-20T18:00:00+01:00", "OUV9", b) == 0, "ajout");
        space = b.takeString(lib);
        c.check(lib.mpe_document_space_list(space, null, b) == 0, "liste");
        c.check(b.takeString(lib).contains("\"taille\":" + docx.length), "taille listée");
        Path zip = dir.resolve("espace.zip");
        String paths = "{\"P000001\": \"" + out.toString().replace("\\", "\\\\") + "\"}";
        c.check(lib.mpe_document_space_zip(space, "[]", paths, zip.toString()) == 0, "zip");
        c.check(Files.size(zip) > 1000, "zip écrit");

        c.done("TestDocuments");
    }
}
