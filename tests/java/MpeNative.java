// JNA binding of libmpe shared by the Java tests: the common functions and the mpe_bytes
// structure. Each area's test declares its own functions in an interface extending this one.
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import java.nio.charset.StandardCharsets;

public interface MpeNative extends Library {
    @Structure.FieldOrder({"data", "len", "cap"})
    class MpeBytes extends Structure {
        public Pointer data;
        public long len; // size_t on 64-bit Linux
        public long cap;

        /** Copy the buffer out and release it. */
        public byte[] take(MpeNative lib) {
            read();
            byte[] out = len > 0 ? data.getByteArray(0, (int) len) : new byte[0];
            lib.mpe_bytes_free(this);
            return out;
        }

        public String takeString(MpeNative lib) {
            return new String(take(lib), StandardCharsets.UTF_8);
        }
    }

    String mpe_version();
    String mpe_last_error();
    void mpe_bytes_free(MpeBytes bytes);
    String mpe_status_name(int status);

    static <T extends Library> T load(Class<T> iface) {
        return Native.load("mpe", iface);
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
