<?php
// Shared helpers of the PHP FFI tests: load libmpe with the preprocessor-free header and
// give small helpers to pass buffers and read mpe_octets.
declare(strict_types=1);

function mpe_ffi(): FFI {
    static $ffi = null;
    if ($ffi === null) {
        $root = dirname(__DIR__, 3);
        $lib = getenv('MPE_LIB') ?: "$root/target/release/libmpe.so";
        $ffi = FFI::cdef(file_get_contents("$root/include/mpe_php.h"), $lib);
    }
    return $ffi;
}

/** Take ownership of an mpe_octets: copy it into a PHP string and free it. */
function mpe_take(FFI\CData $bytes): string {
    $s = $bytes->longueur > 0 ? FFI::string($bytes->donnees, $bytes->longueur) : '';
    mpe_ffi()->mpe_octets_liberer(FFI::addr($bytes));
    return $s;
}

/** A new empty mpe_octets to pass as *_out. */
function mpe_out(): FFI\CData {
    return mpe_ffi()->new('mpe_octets');
}

/** Pass a PHP string as (const uint8_t *, size_t): returns [pointer, length]; keep $buf alive. */
function mpe_buf(string $s, &$keep): array {
    $n = strlen($s);
    $keep = mpe_ffi()->new("uint8_t[" . max(1, $n) . "]", false);
    if ($n > 0) {
        FFI::memcpy($keep, $s, $n);
    }
    return [FFI::cast('uint8_t *', $keep), $n];
}

function mpe_free_buf($keep): void {
    FFI::free($keep);
}

$GLOBALS['mpe_failures'] = 0;
function check(bool $cond, string $what): void {
    if (!$cond) {
        fwrite(STDERR, "FAIL: $what\n");
        $GLOBALS['mpe_failures']++;
    }
}

/** `check`, with the library's last error message when it fails. */
function verifie(bool $ok, string $msg): void {
    check($ok, $ok ? $msg : "$msg (" . mpe_ffi()->mpe_derniere_erreur() . ")");
}

/** A PHP string as a (const uint8_t *) buffer; the CData owns its memory. */
function buf(string $s): FFI\CData {
    $b = mpe_ffi()->new('uint8_t[' . max(1, strlen($s)) . ']');
    FFI::memcpy($b, $s, strlen($s));
    return $b;
}

function done(string $name): void {
    if ($GLOBALS['mpe_failures'] > 0) {
        fwrite(STDERR, "$name: {$GLOBALS['mpe_failures']} failure(s)\n");
        exit(1);
    }
    echo "$name: ok\n";
}
