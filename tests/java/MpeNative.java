// JNA binding of libmpe shared by the Java tests: the common functions and the mpe_octets
// structure. Each area's test declares its own functions in an interface extending this one.
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import java.nio.charset.StandardCharsets;

public interface MpeNative extends Library {
    @Structure.FieldOrder({"donnees", "longueur", "capacite"})
    class MpeBytes extends Structure {
        public Pointer donnees;
        public long longueur; // size_t on 64-bit Linux
        public long capacite;

        /** Copy the buffer out and release it. */
        public byte[] take(MpeNative lib) {
            read();
            byte[] out = longueur > 0 ? donnees.getByteArray(0, (int) longueur) : new byte[0];
            lib.mpe_octets_liberer(this);
            return out;
        }

        public String takeString(MpeNative lib) {
            return new String(take(lib), StandardCharsets.UTF_8);
        }
    }

    String mpe_version();
    String mpe_derniere_erreur();
    void mpe_octets_liberer(MpeBytes bytes);
    String mpe_statut_nom(int status);

    /** Strings cross as UTF-8 whatever the locale (LANG=C included): JNA's default is the
     *  platform charset, ASCII under LANG=C, which turns "référence" into "r??f??rence". */
    static <T extends Library> T load(Class<T> iface) {
        forceUtf8();
        return Native.load("mpe", iface, java.util.Map.of(Library.OPTION_STRING_ENCODING, "UTF-8"));
    }

    /** Set before JNA's first use (it reads jna.encoding once, when class Native loads). */
    static void forceUtf8() {
        System.setProperty("jna.encoding", "UTF-8");
    }

    /** A JSON text as the (bytes, length) pair of the C ABI; null stays null. */
    static byte[] u8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    /** The UTF-8 length of a text (0 for null). */
    static long lg(String s) {
        return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** A fresh failure counter per test program. */
    final class Checks {
        private int failures = 0;
        public void check(boolean cond, String what) {
            if (!cond) {
                System.err.println("FAIL: " + what);
                failures++;
            }
        }
        public void done(String name) {
            if (failures > 0) {
                System.err.println(name + ": " + failures + " failure(s)");
                System.exit(1);
            }
            System.out.println(name + ": ok");
        }
    }
}
