package fr.mpe;

import static fr.mpe.Tampons.longueur;
import static fr.mpe.Tampons.prendre;
import static fr.mpe.Tampons.prendreTexte;
import static fr.mpe.Tampons.utf8;
import static fr.mpe.Tampons.verifier;

/**
 * libmpe depuis Java : une classe imbriquée par objet, aux noms de docs/glossaire.md
 * ({@code Mpe.Cms.chiffrer}, {@code Mpe.Journal.verifier}...). Les valeurs du domaine passent
 * en JSON (texte UTF-8), les données en {@code byte[]}, les gros fichiers par chemin.
 * Les erreurs sont des {@link ErreurMpe}, une sous-classe par famille.
 */
public final class Mpe {
    private Mpe() {}

    /** La version de libmpe. */
    public static String version() {
        return Natif.I.mpe_version();
    }

    /** La consultation : validation par les règles, forme canonique. */
    public static final class Consultation {
        private Consultation() {}

        /** Les constats (tableau JSON) de la consultation à {@code maintenant} (RFC 3339). */
        public static String valider(String consultation, String organisation, String maintenant) {
            byte[] c = utf8(consultation), o = utf8(organisation);
            Natif.Octets s = new Natif.Octets();
            verifier(Natif.I.mpe_consultation_valider(c, longueur(c), o, longueur(o), maintenant, s));
            return prendreTexte(s);
        }

        /** Le JSON canonique. */
        public static String normaliser(String consultation) {
            byte[] c = utf8(consultation);
            Natif.Octets s = new Natif.Octets();
            verifier(Natif.I.mpe_consultation_normaliser(c, longueur(c), s));
            return prendreTexte(s);
        }
    }

    /** Les codes CPV. */
    public static final class Cpv {
        private Cpv() {}

        /** {@code {"code", "libelle", "division", "categorie"}} en JSON. */
        public static String chercher(String code) {
            Natif.Octets s = new Natif.Octets();
            verifier(Natif.I.mpe_cpv_chercher(code, s));
            return prendreTexte(s);
        }
    }

    /** Le chiffrement CMS des plis. */
    public static final class Cms {
        private Cms() {}

        public static byte[] chiffrer(byte[] donnees, byte[] certificatsPem, String options) {
            byte[] o = utf8(options);
            Natif.Octets s = new Natif.Octets();
            verifier(Natif.I.mpe_cms_chiffrer(donnees, longueur(donnees), certificatsPem, longueur(certificatsPem), o, longueur(o), s));
            return prendre(s);
        }

        /**
         * Déchiffre avec une clé privée seule ou avec son certificat (PEM/DER PKCS#8, PKCS#1,
         * SEC1, PKCS#12 ; RSA, P-256/384/521, X25519) ; {@code legacy} ouvre aussi Triple-DES,
         * DES et RC2. Rend le clair, authentifié.
         */
        public static byte[] dechiffrerCle(byte[] cms, byte[] cle, String motDePasse, boolean legacy) {
            byte[] o = utf8(legacy ? "{\"legacy\":true}" : null);
            Natif.Octets s = new Natif.Octets();
            verifier(Natif.I.mpe_cms_dechiffrer_cle(cms, longueur(cms), cle, longueur(cle), motDePasse, o, longueur(o), s, null));
            return prendre(s);
        }

        public static byte[] dechiffrer(byte[] cms, byte[] bicle, String motDePasse) {
            Natif.Octets s = new Natif.Octets();
            verifier(Natif.I.mpe_cms_dechiffrer(cms, longueur(cms), bicle, longueur(bicle), motDePasse, s));
            return prendre(s);
        }

        /**
         * Déchiffre avec une clé de chiffrement de clé (KEKRecipientInfo, AES key wrap ;
         * {@code openssl cms -encrypt -secretkey -secretkeyid}) : {@code kek} la clé (16, 24 ou
         * 32 octets), {@code kekId} son identifiant. Rend le clair, authentifié.
         */
        public static byte[] dechiffrerKek(byte[] cms, byte[] kek, byte[] kekId, boolean legacy) {
            byte[] o = utf8(legacy ? "{\"legacy\":true}" : null);
            Natif.Octets s = new Natif.Octets();
            verifier(Natif.I.mpe_cms_dechiffrer_kek(cms, longueur(cms), kek, longueur(kek), kekId, longueur(kekId), o, longueur(o), s, null));
            return prendre(s);
        }

        /**
         * Déchiffre avec un mot de passe (PasswordRecipientInfo, PBKDF2 ; {@code openssl cms
         * -encrypt -pwri_password}), pris en UTF-8. Rend le clair, authentifié.
         */
        public static byte[] dechiffrerMotDePasse(byte[] cms, String motDePasse, boolean legacy) {
            byte[] o = utf8(legacy ? "{\"legacy\":true}" : null);
            byte[] m = utf8(motDePasse);
            Natif.Octets s = new Natif.Octets();
            verifier(Natif.I.mpe_cms_dechiffrer_mot_de_passe(cms, longueur(cms), m, longueur(m), o, longueur(o), s, null));
            return prendre(s);
        }

        /**
         * Déchiffre avec une clé d'un jeton ou d'une carte (PKCS#11) qui n'en sort jamais ;
         * {@code reference} : le JSON {@code {"module": chemin, "jeton": libellé, "cle":
         * libellé}} (ou {@code "id"}, le CKA_ID hexadécimal). Rend le clair, authentifié.
         */
        public static byte[] dechiffrerJeton(byte[] cms, String reference, String pin, boolean legacy) {
            byte[] o = utf8(legacy ? "{\"legacy\":true}" : null);
            byte[] r = utf8(reference);
            Natif.Octets s = new Natif.Octets();
            verifier(Natif.I.mpe_cms_dechiffrer_jeton(cms, longueur(cms), r, longueur(r), pin, o, longueur(o), s, null));
            return prendre(s);
        }
    }

    /** Les jetons et cartes à puce (PKCS#11). */
    public static final class Jeton {
        private Jeton() {}

        /** Les jetons du module et leurs certificats (JSON), conformité jugée à {@code maintenant}. */
        public static String lister(String module, String maintenant) {
            Natif.Octets s = new Natif.Octets();
            verifier(Natif.I.mpe_pkcs11_lister(module, maintenant, s));
            return prendreTexte(s);
        }

        /**
         * Signe {@code donnees} avec la clé du jeton ({@code format} "cades", "xades" ou
         * "pades") ; {@code chainePem} le reste de la chaîne ou null ; {@code options} le JSON
         * des options de signature ({@code date} requise).
         */
        public static byte[] signer(String format, String reference, String pin, byte[] chainePem, byte[] donnees, String options) {
            byte[] r = utf8(reference);
            byte[] o = utf8(options);
            Natif.Octets s = new Natif.Octets();
            verifier(Natif.I.mpe_signature_signer_jeton(format, r, longueur(r), pin, chainePem, longueur(chainePem),
                donnees, longueur(donnees), o, longueur(o), s));
            return prendre(s);
        }
    }

    /** Les bi-clés et identités. */
    public static final class Bicle {
        private Bicle() {}

        /**
         * Une identité de signature de TEST (AC de test + certificat de signature) pour
         * {@code sujet} (RFC 4514) : {PKCS#12 protégé par {@code motDePasse}, certificat PEM de
         * l'AC}. Jamais « adaptée pour les marchés publics ».
         */
        public static byte[][] genererIdentiteTest(String sujet, String maintenant, String motDePasse) {
            String echappe = sujet.replace("\\", "\\\\").replace("\"", "\\\"");
            byte[] p = utf8("{\"sujet\":\"" + echappe + "\"}");
            Natif.Octets p12 = new Natif.Octets();
            Natif.Octets ac = new Natif.Octets();
            verifier(Natif.I.mpe_identite_test_generer(p, longueur(p), maintenant, motDePasse, p12, ac));
            return new byte[][] {prendre(p12), prendre(ac)};
        }
    }

    /** Les signatures PAdES, CAdES, XAdES. */
    public static final class Signature {
        private Signature() {}

        /** Le rapport JSON ; {@code donnees} : le fichier signé d'une signature détachée, ou null. */
        public static String verifier(byte[] signature, byte[] donnees, String options) {
            byte[] o = utf8(options);
            Natif.Octets s = new Natif.Octets();
            Tampons.verifier(Natif.I.mpe_signature_verifier(signature, longueur(signature), donnees, longueur(donnees), o, longueur(o), s));
            return prendreTexte(s);
        }

        /**
         * B-LT, premier temps : le JSON des données de validation (certificats, réponses
         * OCSP, CRL) d'un PDF signé ou d'une CAdES ; {@code options} comme pour
         * {@link #verifier}.
         */
        public static String collecterDonneesValidation(byte[] signe, String options) {
            byte[] o = utf8(options);
            Natif.Octets s = new Natif.Octets();
            Tampons.verifier(Natif.I.mpe_signature_collecter_donnees_validation(signe, longueur(signe), o, longueur(o), s));
            return prendreTexte(s);
        }

        /** B-LT : la signature avec ces données (PAdES : son /DSS ; CAdES : son SignedData). */
        public static byte[] ajouterDonneesValidation(byte[] signe, String donnees) {
            byte[] d = utf8(donnees);
            Natif.Octets s = new Natif.Octets();
            Tampons.verifier(Natif.I.mpe_signature_ajouter_donnees_validation(signe, longueur(signe), d, longueur(d), s));
            return prendre(s);
        }

        /**
         * B-LTA, premier temps : le JSON de l'horodatage préparé, dont {@code requete}
         * (base64) va à l'autorité d'horodatage ; {@code donnees} : le fichier signé d'une
         * CAdES détachée (couvert par l'horodatage d'archive), sinon null ; {@code nonce} 0 :
         * aucun.
         */
        public static String preparerHorodatageDocument(byte[] signe, byte[] donnees, long nonce) {
            Natif.Octets s = new Natif.Octets();
            if (donnees == null) {
                Tampons.verifier(Natif.I.mpe_horodatage_preparer_document(signe, longueur(signe), nonce, s));
            } else {
                Tampons.verifier(Natif.I.mpe_horodatage_preparer_document_detache(
                        signe, longueur(signe), donnees, longueur(donnees), nonce, s));
            }
            return prendreTexte(s);
        }

        /** B-LTA, second temps : la signature avec le jeton (ou la TimeStampResp) de l'autorité. */
        public static byte[] finirHorodatageDocument(String preparation, byte[] jeton) {
            byte[] p = utf8(preparation);
            Natif.Octets s = new Natif.Octets();
            Tampons.verifier(Natif.I.mpe_horodatage_finir_document(p, longueur(p), jeton, longueur(jeton), s));
            return prendre(s);
        }
    }

    /**
     * Les listes de confiance de l'UE (ETSI TS 119 612) et la qualification d'un certificat
     * (ETSI TS 119 615). {@code listes} est le JSON
     * {@code {"lotl": base64, "certificats_lotl_pem": PEM, "listes": [base64...],
     * "pivots": [{"adresse": URI, "liste": base64}...]}}, le même que {@code listes_confiance}
     * dans les options de {@link Signature#verifier}.
     */
    public static final class Confiance {
        private Confiance() {}

        /** Le JSON des listes à partir de leurs octets. */
        public static String listes(byte[] lotl, String certificatsLotlPem, java.util.List<byte[]> listes) {
            return listes(lotl, certificatsLotlPem, listes, java.util.Map.of());
        }

        /**
         * Le JSON des listes, avec les LOTL pivots que la LOTL désigne (adresse telle que la
         * LOTL la donne vers octets) : la confiance passe du Journal officiel à la LOTL.
         */
        public static String listes(byte[] lotl, String certificatsLotlPem, java.util.List<byte[]> listes,
                java.util.Map<String, byte[]> pivots) {
            java.util.Base64.Encoder b = java.util.Base64.getEncoder();
            StringBuilder j = new StringBuilder("{\"lotl\":\"").append(b.encodeToString(lotl))
                .append("\",\"certificats_lotl_pem\":\"")
                .append(certificatsLotlPem.replace("\\", "\\\\").replace("\r", "").replace("\n", "\\n"))
                .append("\",\"listes\":[");
            for (int i = 0; i < listes.size(); i++) {
                j.append(i == 0 ? "\"" : ",\"").append(b.encodeToString(listes.get(i))).append('"');
            }
            j.append("],\"pivots\":[");
            boolean premier = true;
            for (java.util.Map.Entry<String, byte[]> p : pivots.entrySet()) {
                j.append(premier ? "" : ",").append("{\"adresse\":\"")
                    .append(p.getKey().replace("\\", "\\\\").replace("\"", "\\\""))
                    .append("\",\"liste\":\"").append(b.encodeToString(p.getValue())).append("\"}");
                premier = false;
            }
            return j.append("]}").toString();
        }

        /** Le rapport JSON du chargement à {@code date} (RFC 3339). */
        public static String charger(String listes, String date) {
            byte[] l = utf8(listes);
            Natif.Octets s = new Natif.Octets();
            Tampons.verifier(Natif.I.mpe_confiance_charger(l, longueur(l), date, s));
            return prendreTexte(s);
        }

        /** La qualification (rapport JSON) du certificat (DER ou PEM) à l'instant de signature. */
        public static String qualifier(byte[] certificat, String listes, String date) {
            byte[] l = utf8(listes);
            Natif.Octets s = new Natif.Octets();
            Tampons.verifier(Natif.I.mpe_confiance_qualifier(certificat, longueur(certificat), l, longueur(l), date, s));
            return prendreTexte(s);
        }
    }

    /**
     * Les avis eForms : avis de marché (16, 17), d'attribution (29, 30), rectificatif, leur
     * pré-contrôle et la lecture de tout avis. Les résultats en JSON ({@code xml} porte l'avis).
     */
    public static final class Avis {
        private Avis() {}

        /** L'avis de marché ({@code sousType} "16" ou "17") : {sous_type, identifiant, xml, avertissements...}. */
        public static String genererMarche(String sousType, String consultation, String organisation, String donnees, String maintenant) {
            byte[] c = utf8(consultation), o = utf8(organisation), d = utf8(donnees);
            Natif.Octets s = new Natif.Octets();
            verifier(Natif.I.mpe_avis_generer_marche(sousType, c, longueur(c), o, longueur(o), d, longueur(d), maintenant, s));
            return prendreTexte(s);
        }

        /** Les constats (tableau JSON : code, gravite, bt, champ, message) de l'avis de marché. */
        public static String verifierMarche(String sousType, String consultation, String organisation, String donnees, String maintenant) {
            byte[] c = utf8(consultation), o = utf8(organisation), d = utf8(donnees);
            Natif.Octets s = new Natif.Octets();
            verifier(Natif.I.mpe_avis_verifier_marche(sousType, c, longueur(c), o, longueur(o), d, longueur(d), maintenant, s));
            return prendreTexte(s);
        }

        /** L'avis d'attribution ("29" ou "30") d'un état de procédure ; {@code contrats} JSON ou null. */
        public static String genererAttribution(String sousType, String procedure, String organisation, String donnees, String contrats, String maintenant) {
            byte[] p = utf8(procedure), o = utf8(organisation), d = utf8(donnees), k = utf8(contrats);
            Natif.Octets s = new Natif.Octets();
            verifier(Natif.I.mpe_avis_generer_attribution(sousType, p, longueur(p), o, longueur(o), d, longueur(d), k, longueur(k), maintenant, s));
            return prendreTexte(s);
        }

        /** Les constats de l'avis d'attribution. */
        public static String verifierAttribution(String sousType, String procedure, String organisation, String donnees, String contrats, String maintenant) {
            byte[] p = utf8(procedure), o = utf8(organisation), d = utf8(donnees), k = utf8(contrats);
            Natif.Octets s = new Natif.Octets();
            verifier(Natif.I.mpe_avis_verifier_attribution(sousType, p, longueur(p), o, longueur(o), d, longueur(d), k, longueur(k), maintenant, s));
            return prendreTexte(s);
        }

        /** L'avis rectificatif de {@code avisInitial} (XML tel qu'envoyé). */
        public static String genererRectificatif(String procedure, String organisation, String donnees, String avisInitial, String maintenant) {
            byte[] p = utf8(procedure), o = utf8(organisation), d = utf8(donnees), a = utf8(avisInitial);
            Natif.Octets s = new Natif.Octets();
            verifier(Natif.I.mpe_avis_generer_rectificatif(p, longueur(p), o, longueur(o), d, longueur(d), a, longueur(a), maintenant, s));
            return prendreTexte(s);
        }

        /** Le résumé JSON de tout avis eForms. */
        public static String lire(String avis) {
            byte[] a = utf8(avis);
            Natif.Octets s = new Natif.Octets();
            verifier(Natif.I.mpe_avis_lire(a, longueur(a), s));
            return prendreTexte(s);
        }
    }

    /** Le DUME (ESPD) : demande écrite, tout DUME lu, réponse comparée à sa demande. */
    public static final class Dume {
        private Dume() {}

        /** La demande ({@code version} "2.1.1" ou "4.1.0") : {version, identifiant, criteres, xml}. */
        public static String genererDemande(String consultation, String organisation, String version, String maintenant) {
            byte[] c = utf8(consultation), o = utf8(organisation);
            Natif.Octets s = new Natif.Octets();
            verifier(Natif.I.mpe_dume_generer_demande(c, longueur(c), o, longueur(o), version, maintenant, s));
            return prendreTexte(s);
        }

        /** Le résumé JSON d'un DUME. */
        public static String lire(byte[] dume) {
            Natif.Octets s = new Natif.Octets();
            verifier(Natif.I.mpe_dume_lire(dume, longueur(dume), s));
            return prendreTexte(s);
        }

        /** Les écarts (tableau JSON) d'une réponse à sa demande et à l'entreprise ({"siret": ...}). */
        public static String comparer(byte[] reponse, byte[] demande, String entreprise) {
            byte[] e = utf8(entreprise);
            Natif.Octets s = new Natif.Octets();
            verifier(Natif.I.mpe_dume_comparer(reponse, longueur(reponse), demande, longueur(demande), e, longueur(e), s));
            return prendreTexte(s);
        }
    }

    /** Le cycle de vie : {état, lignes du journal}. */
    public static final class Procedure {
        private Procedure() {}

        public static String[] nouvelle(String consultation, String contexte) {
            byte[] c = utf8(consultation), x = utf8(contexte);
            Natif.Octets e = new Natif.Octets(), j = new Natif.Octets();
            verifier(Natif.I.mpe_procedure_nouvelle(c, longueur(c), x, longueur(x), e, j));
            return new String[] {prendreTexte(e), prendreTexte(j)};
        }

        public static String[] appliquer(String etat, String action, String contexte) {
            byte[] e = utf8(etat), a = utf8(action), x = utf8(contexte);
            Natif.Octets se = new Natif.Octets(), sj = new Natif.Octets();
            verifier(Natif.I.mpe_procedure_appliquer(e, longueur(e), a, longueur(a), x, longueur(x), se, sj));
            return new String[] {prendreTexte(se), prendreTexte(sj)};
        }

        /**
         * Dépose un pli avec les octets de ses enveloppes ({@code enveloppes[i]} est
         * l'enveloppe {@code enveloppes[i]} de l'action) : mpe calcule tailles et SHA-256 et
         * contrôle le chiffrement ; un refus lève {@link ErreurMpe.Procedure} sans rien changer.
         * Rend {état, lignes du journal}.
         */
        public static String[] deposerOctets(String etat, String action, String contexte, byte[][] enveloppes) {
            byte[] e = utf8(etat), a = utf8(action), x = utf8(contexte);
            com.sun.jna.Pointer[] ptrs = new com.sun.jna.Pointer[enveloppes.length];
            long[] longueurs = new long[enveloppes.length];
            for (int i = 0; i < enveloppes.length; i++) {
                com.sun.jna.Memory m = new com.sun.jna.Memory(Math.max(1, enveloppes[i].length));
                m.write(0, enveloppes[i], 0, enveloppes[i].length);
                ptrs[i] = m;
                longueurs[i] = enveloppes[i].length;
            }
            Natif.Octets se = new Natif.Octets(), sj = new Natif.Octets();
            verifier(Natif.I.mpe_procedure_deposer_octets(e, longueur(e), a, longueur(a), x, longueur(x), ptrs, longueurs,
                enveloppes.length, se, sj));
            return new String[] {prendreTexte(se), prendreTexte(sj)};
        }

        /**
         * Les données des formulaires DAJ (OUV3 … NOT18) lues dans l'état et l'organisation,
         * pour {@code mpe_formulaire_generer} ; {@code parametres} (JSON, null : défauts) ce que
         * l'état ne contient pas ({@code lot}, {@code pli}, {@code date}…).
         */
        public static String genererDonneesDocuments(String etat, String organisation, String parametres) {
            byte[] e = utf8(etat), o = utf8(organisation), p = parametres == null ? null : utf8(parametres);
            Natif.Octets d = new Natif.Octets();
            verifier(Natif.I.mpe_procedure_generer_donnees_documents(e, longueur(e), o, longueur(o), p,
                p == null ? 0 : longueur(p), d));
            return prendreTexte(d);
        }

        /**
         * La lettre de modification de la version {@code version} du DCE (JSON {@code Courrier})
         * aux entreprises du registre des retraits ; {@code pieces} (nom, octets) les pièces
         * ajoutées ou remplaçantes, contrôlées contre leur empreinte.
         */
        public static String genererCourrierModification(String etat, int version, java.util.Map<String, byte[]> pieces) {
            byte[] e = utf8(etat);
            int n = pieces.size();
            String[] noms = new String[n];
            com.sun.jna.Pointer[] ptrs = new com.sun.jna.Pointer[n];
            long[] longueurs = new long[n];
            int i = 0;
            for (java.util.Map.Entry<String, byte[]> x : pieces.entrySet()) {
                noms[i] = x.getKey();
                com.sun.jna.Memory m = new com.sun.jna.Memory(Math.max(1, x.getValue().length));
                m.write(0, x.getValue(), 0, x.getValue().length);
                ptrs[i] = m;
                longueurs[i] = x.getValue().length;
                i++;
            }
            Natif.Octets c = new Natif.Octets();
            verifier(Natif.I.mpe_procedure_generer_courrier_modification(e, longueur(e), version, noms, ptrs, longueurs, n, c));
            return prendreTexte(c);
        }

        /** Le stockage de l'hôte : au plus {@code capacite} octets de l'enveloppe depuis {@code position} (vide : fin). */
        @FunctionalInterface
        public interface Stockage {
            byte[] lire(int pli, String enveloppe, long position, int capacite) throws Exception;
        }

        /** Garde l'état et les lignes du journal après chaque enveloppe ; une exception arrête l'ouverture. */
        @FunctionalInterface
        public interface Enregistrement {
            void enregistrer(String etat, String journal) throws Exception;
        }

        /**
         * Ouvre les enveloppes encore fermées, dans la bibliothèque (voir
         * mpe_procedure_ouvrir_plis) : lues par {@code stockage}, vérifiées, déchiffrées avec
         * {@code cle} (PKCS#12 ou PEM), extraites sous {@code dossier}, enregistrées par
         * {@code enregistrer} après chacune ; {@code progression} reçoit les étapes (JSON).
         * Rend {état, lignes du journal, bilan}.
         */
        public static String[] ouvrirPlis(String etat, byte[] cle, String motDePasse, String dossier, String options,
                                          String contexte, Stockage stockage, Enregistrement enregistrer,
                                          java.util.function.Consumer<String> progression) {
            byte[] e = utf8(etat), o = utf8(options), x = utf8(contexte);
            Exception[] erreur = {null};
            Natif.RappelsOuverture r = new Natif.RappelsOuverture();
            // JNA would turn an exception escaping a callback into a status of 0: caught here.
            r.lire = (u, pli, enveloppe, position, tampon, capacite, lu) -> {
                try {
                    byte[] b = stockage.lire(pli, enveloppe, position, (int) Math.min(capacite, Integer.MAX_VALUE));
                    int n = (int) Math.min(b.length, capacite);
                    tampon.write(0, b, 0, n);
                    lu.setLong(0, n);
                    return 0;
                } catch (Exception ex) {
                    if (erreur[0] == null) erreur[0] = ex;
                    return 103;
                }
            };
            r.enregistrer = (u, pe, ne, pj, nj) -> {
                if (enregistrer == null) return 0;
                try {
                    enregistrer.enregistrer(
                        new String(pe.getByteArray(0, (int) ne), java.nio.charset.StandardCharsets.UTF_8),
                        new String(pj.getByteArray(0, (int) nj), java.nio.charset.StandardCharsets.UTF_8));
                    return 0;
                } catch (Exception ex) {
                    if (erreur[0] == null) erreur[0] = ex;
                    return 1;
                }
            };
            if (progression != null) {
                r.progression = (u, etape) -> {
                    try {
                        progression.accept(etape);
                    } catch (RuntimeException ex) {
                        // A progress display that fails does not stop an opening.
                    }
                };
            }
            Natif.Octets se = new Natif.Octets(), sj = new Natif.Octets(), sb = new Natif.Octets();
            int statut = Natif.I.mpe_procedure_ouvrir_plis(e, longueur(e), cle, cle.length, motDePasse, dossier, o, longueur(o),
                x, longueur(x), r, se, sj, sb);
            if (statut != 0 && erreur[0] != null) {
                // The host's own exception, kept by the callback, as the cause.
                ErreurMpe ex = ErreurMpe.depuisStatut(statut);
                ex.initCause(erreur[0]);
                throw ex;
            }
            verifier(statut);
            return new String[] {prendreTexte(se), prendreTexte(sj), prendreTexte(sb)};
        }
    }

    /** Le journal chaîné. */
    public static final class Journal {
        private Journal() {}

        /** Lève {@link ErreurMpe.Procedure} (JOURNAL_CORROMPU) si la chaîne ne tient pas. */
        public static void verifier(String journal, String etat) {
            byte[] j = utf8(journal), e = utf8(etat);
            Tampons.verifier(Natif.I.mpe_journal_verifier(j, longueur(j), e, longueur(e)));
        }
    }
}
