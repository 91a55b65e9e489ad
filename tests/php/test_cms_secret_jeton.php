<?php
// PHP test of the Mpe package (php/src) for the other recipient kinds and tokens: envelopes
// `openssl cms -encrypt -secretkey/-secretkeyid` (KEK) and `-pwri_password` make, decrypted
// by Cms::dechiffrerKek / dechiffrerMotDePasse; a SoftHSM2 token made by
// tests/pkcs11/jeton_softhsm.sh listed by Jeton::lister, decrypting what openssl encrypted
// to its certificates (Cms::dechiffrerJeton) and signing a CAdES `openssl cms -verify`
// accepts (Jeton::signer); the test identity of Bicle::genererIdentiteTest signs and
// verifies. Missing openssl/softhsm2/pkcs11-tool is a failure.
declare(strict_types=1);

use Mpe\Bicle;
use Mpe\Cms;
use Mpe\ErreurMpe;
use Mpe\Jeton;
use Mpe\Signature;

$racine = dirname(__DIR__, 2);
if (!getenv('MPE_LIB')) {
    putenv("MPE_LIB=$racine/target/release/libmpe.so");
}
spl_autoload_register(static function (string $classe) use ($racine): void {
    if (str_starts_with($classe, 'Mpe\\')) {
        require "$racine/php/src/" . substr($classe, 4) . '.php';
    }
});

$echecs = 0;
function verifie(bool $ok, string $quoi): void
{
    global $echecs;
    if (!$ok) {
        fwrite(STDERR, "ÉCHEC : $quoi\n");
        $echecs++;
    }
}
function sh(string $cmd): void
{
    exec($cmd . ' 2>&1', $out, $rc);
    if ($rc !== 0) {
        fwrite(STDERR, "commande en échec : $cmd\n" . implode("\n", $out) . "\n");
        exit(2);
    }
}
/** The name of the error `$f` raises, or 'OK'. */
function erreur(callable $f): string
{
    try {
        $f();
        return 'OK';
    } catch (ErreurMpe $e) {
        return $e->nom;
    }
}

$d = sys_get_temp_dir() . '/mpe-php-secret-' . getmypid();
mkdir($d);
$clair = "Offre de prix, lot 2 : 12 345,67 EUR\n";
file_put_contents("$d/clair.txt", $clair);
$kek = '';
for ($i = 0; $i < 32; $i++) {
    $kek .= chr($i);
}
sh("cd $d && openssl cms -encrypt -binary -aes256 -secretkey " . bin2hex($kek) . ' -secretkeyid ' . bin2hex('kek-01')
    . ' -in clair.txt -outform DER -out kek.der && openssl cms -encrypt -binary -aes128 -pwri_password "mot de passe"'
    . ' -in clair.txt -outform DER -out pwri.der');

// KEK
$env = file_get_contents("$d/kek.der");
[$texte, $rapport] = Cms::dechiffrerKek($env, $kek, 'kek-01');
verifie($texte === $clair && $rapport['acces']['type'] === 'kekri', 'KEK');
verifie(erreur(fn () => Cms::dechiffrerKek($env, $kek, 'kek-02')) === 'AUCUN_DESTINATAIRE', 'KEK : identifiant inconnu');
verifie(erreur(fn () => Cms::dechiffrerKek($env, str_repeat("\0", 32), 'kek-01')) !== 'OK', 'KEK : mauvaise clé');
$r = Cms::dechiffrerFichierKek("$d/kek.der", "$d/kek.txt", $kek, 'kek-01');
verifie(file_get_contents("$d/kek.txt") === $clair && $r['taille'] === strlen($clair), 'KEK fichier');
verifie(erreur(fn () => Cms::dechiffrerFichierKek("$d/kek.der", "$d/non.txt", str_repeat("\0", 32), 'kek-01')) !== 'OK'
    && !file_exists("$d/non.txt"), 'KEK fichier : rien écrit');

// Mot de passe
$env = file_get_contents("$d/pwri.der");
[$texte, $rapport] = Cms::dechiffrerMotDePasse($env, 'mot de passe');
verifie($texte === $clair && $rapport['acces']['type'] === 'pwri', 'PWRI');
verifie(erreur(fn () => Cms::dechiffrerMotDePasse($env, 'mot de passf')) === 'MOT_DE_PASSE_INCORRECT', 'PWRI : mauvais mot de passe');
Cms::dechiffrerFichierMotDePasse("$d/pwri.der", "$d/p.txt", 'mot de passe');
verifie(file_get_contents("$d/p.txt") === $clair, 'PWRI fichier');

// Jeton SoftHSM2
$conf = trim(shell_exec("$racine/tests/pkcs11/jeton_softhsm.sh $d/jeton") ?? '');
verifie(is_file($conf), 'jeton SoftHSM2 créé');
putenv("SOFTHSM2_CONF=$conf");
$j = "$d/jeton";
copy("$d/clair.txt", "$j/clair.txt");
sh("cd $j && openssl cms -encrypt -binary -aes-256-gcm -in clair.txt -outform DER -out rsa.der -recip cle-rsa.crt.pem"
    . ' && openssl cms -encrypt -binary -aes256 -in clair.txt -outform DER -out ec.der -recip cle-ec.crt.pem');
$module = '/usr/lib/softhsm/libsofthsm2.so';
$maintenant = gmdate('Y-m-d\TH:i:s\Z', time() + 1);
$liste = Jeton::lister($module, $maintenant);
verifie(count($liste) === 1 && $liste[0]['jeton']['libelle'] === 'mpe-test', 'lister : le jeton');
verifie(count($liste[0]['certificats']) === 2 && $liste[0]['certificats'][0]['conformite']['adapte'] === false, 'lister : les certificats, non adaptés');
$rsa = ['module' => $module, 'jeton' => 'mpe-test', 'cle' => 'cle-rsa'];
[$texte, $rapport] = Cms::dechiffrerJeton(file_get_contents("$j/rsa.der"), $rsa, '123456');
verifie($texte === $clair && $rapport['acces']['type'] === 'ktri', 'jeton RSA');
[$texte, $rapport] = Cms::dechiffrerJeton(file_get_contents("$j/ec.der"), ['module' => $module, 'jeton' => 'mpe-test', 'id' => '02'], '123456');
verifie($texte === $clair && $rapport['acces']['type'] === 'kari', 'jeton EC par id');
Cms::dechiffrerFichierJeton("$j/rsa.der", "$j/r.txt", $rsa, '123456');
verifie(file_get_contents("$j/r.txt") === $clair, 'jeton fichier');
verifie(erreur(fn () => Cms::dechiffrerJeton(file_get_contents("$j/rsa.der"), $rsa, '000000')) === 'PIN_INCORRECT', 'mauvais PIN');
verifie(erreur(fn () => Cms::dechiffrerJeton(file_get_contents("$j/rsa.der"), ['module' => $module, 'jeton' => 'autre', 'cle' => 'x'], '123456')) === 'JETON_ABSENT', 'jeton absent');
verifie(erreur(fn () => Cms::dechiffrerJeton(file_get_contents("$j/rsa.der"), ['module' => $module, 'jeton' => 'mpe-test', 'cle' => 'non'], '123456')) === 'CLE_ABSENTE_DU_JETON', 'clé absente');
verifie(erreur(fn () => Jeton::lister('/nonexistent/module.so', $maintenant)) === 'MODULE_PKCS11', 'module absent');
$options = json_encode(['date' => $maintenant, 'forcer' => true]);
foreach (['cle-rsa', 'cle-ec'] as $cle) {
    $ref = ['module' => $module, 'jeton' => 'mpe-test', 'cle' => $cle];
    $sig = Jeton::signer('cades', $ref, '123456', null, $clair, $options);
    file_put_contents("$j/s.p7s", $sig);
    sh("cd $j && openssl cms -verify -binary -inform DER -in s.p7s -content clair.txt -CAfile $cle.crt.pem -purpose any -out /dev/null");
    Jeton::signerFichier('xades', $ref, '123456', null, "$j/clair.txt", "$j/s.xml", $options);
    $r = Signature::verifier(file_get_contents("$j/s.xml"), $clair, json_encode([
        'ancres_pem' => file_get_contents("$j/$cle.crt.pem"), 'date_verification' => $maintenant]));
    verifie($r['statut'] === 'VALIDE', "XAdES signé sur le jeton ($cle) : VALIDE");
    verifie(erreur(fn () => Jeton::signer('cades', $ref, '000000', null, $clair, $options)) === 'PIN_INCORRECT', 'signer : mauvais PIN');
}

// Identité de test
[$p12, $ac] = Bicle::genererIdentiteTest('CN=Jeanne Essai,O=Exemple SA,C=FR', $maintenant, 'essai');
file_put_contents("$d/i.p12", $p12);
file_put_contents("$d/ac.pem", $ac);
sh("cd $d && openssl pkcs12 -in i.p12 -passin pass:essai -nokeys -out c.pem && openssl verify -CAfile ac.pem -untrusted c.pem c.pem");
verifie(erreur(fn () => Bicle::genererIdentiteTest('', $maintenant, 'essai')) === 'CHAMP_OBLIGATOIRE', 'identité : sujet vide');

sh("rm -rf $d");
if ($echecs > 0) {
    fwrite(STDERR, "$echecs échec(s)\n");
    exit(1);
}
echo "test_cms_secret_jeton.php : ok\n";
