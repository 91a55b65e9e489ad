package fr.mpe;

import static fr.mpe.Tampons.longueur;
import static fr.mpe.Tampons.prendreTexte;
import static fr.mpe.Tampons.utf8;
import static fr.mpe.Tampons.verifier;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * Valide des avis eForms par les règles Schematron du SDK (poignée mpe_validateur_avis) : à
 * fermer, par try-with-resources. Les règles d'un sous-type sont compilées à son premier avis
 * (quelques secondes), puis gardées : en garder un par version du SDK. Il peut servir à
 * plusieurs fils ; ses appels passent alors un à la fois. Le XSD du SDK n'est pas vérifié.
 */
public final class ValidateurAvis implements AutoCloseable {
    private Pointer poignee;

    private ValidateurAvis(Pointer poignee) {
        this.poignee = poignee;
    }

    /**
     * Lit les règles d'un dossier du SDK décompressé ({@code eforms-sdk/1.15.1}, qui contient
     * {@code schematrons/static/}) ; {@code version} : celle des rapports, ou null pour le
     * nom du dossier.
     */
    public static ValidateurAvis ouvrir(String dossierSdk, String version) {
        PointerByReference p = new PointerByReference();
        verifier(Natif.I.mpe_avis_validateur_ouvrir(dossierSdk, version, p));
        return new ValidateurAvis(p.getValue());
    }

    private Pointer p() {
        if (poignee == null) {
            throw new IllegalStateException("validateur fermé");
        }
        return poignee;
    }

    /**
     * Le rapport JSON de l'avis (son XML) par les règles de son sous-type, ou de
     * {@code phase} si non null : {valide, echecs: [{id, role, emplacement…}], indetermines…}.
     * {@code maintenant} : l'instant RFC 3339 auquel les règles comparent les échéances.
     */
    // Synchronized, as close(): a validation never runs on a handle being released (and the
    // library runs them one at a time anyway).
    public synchronized String valider(String avis, String phase, String maintenant) {
        byte[] a = utf8(avis);
        Natif.Octets s = new Natif.Octets();
        verifier(Natif.I.mpe_avis_valider(p(), a, longueur(a), phase, maintenant, s));
        return prendreTexte(s);
    }

    /** Libère la poignée (une seule fois, même appelé plusieurs fois). */
    @Override
    public synchronized void close() {
        if (poignee != null) {
            Natif.I.mpe_avis_validateur_liberer(poignee);
            poignee = null;
        }
    }
}
