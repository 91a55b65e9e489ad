//! Dépôts: electronic plis checked against the modalités and the DLRO, paper plis of the
//! registre papier, and the receipt (accusé de réception) of each electronic pli.

use std::io::Read;

use chrono::{DateTime, Utc};

use super::action::Action;
use super::action::EnveloppeDeposee;
use super::contexte::Contexte;
use super::droits::Requis;
use super::etat::Procedure;
use super::evenement::Evenement;
use super::faits::Faits;
use super::journal::EntreeJournal;
use super::octets as lecture;
use crate::model::{AccuseReception, Entreprise, EnveloppeRecue, FichierRecu, OctetsEnveloppe};
use crate::model::{DocumentAttendu, ReponseElectronique, SignatureRequise};
use crate::model::{
    Enveloppe, Fichier, ModeDepot, Phase, Pli, RefEnveloppe, ResultatSignature, StatutEnveloppe,
    empreinte_fichiers,
};
use crate::{CodeErreur, Erreur, Result};

/// Most files in one envelope.
pub const FICHIERS_MAX: usize = 1_000;

/// Two libellés of a document are the same, trimmed and without case.
fn meme_libelle(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    a.len() == b.len() && a.eq_ignore_ascii_case(b) || a.to_lowercase() == b.to_lowercase()
}

/// The extension of a file, lower case, without dot; for a CAdES enveloping signature
/// (`AE.pdf.p7s`, `AE.pdf.p7m`), that of the signed file inside.
fn extension(f: &Fichier) -> String {
    let nom = f.nom.to_lowercase();
    let cades = f
        .signature
        .as_ref()
        .is_some_and(|s| s.format.eq_ignore_ascii_case("CAdES"));
    let nom = match nom.rsplit_once('.') {
        Some((base, "p7s" | "p7m")) if cades && base.contains('.') => base.to_string(),
        _ => nom,
    };
    nom.rsplit_once('.')
        .map(|(_, e)| e.to_string())
        .unwrap_or_default()
}

/// Why a file that must be signed is not (`None` when its signature is there and not
/// invalid): the one rule for envelopes and documents attendus.
fn signature_manquante(f: &Fichier) -> Option<&'static str> {
    match &f.signature {
        None => Some("non signé"),
        Some(s) if s.resultat == ResultatSignature::Invalide => Some("signature invalide"),
        Some(_) => None,
    }
}

fn sha256_valide(h: &str) -> bool {
    h.len() == 64 && h.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Check a declared file list (names, sizes, hashes).
pub(crate) fn verifier_fichiers(fichiers: &[Fichier], chemin: &str) -> Result<()> {
    if fichiers.len() > FICHIERS_MAX {
        return Err(Erreur::new(
            CodeErreur::LimiteDepassee,
            format!("plus de {FICHIERS_MAX} fichiers dans une enveloppe"),
        )
        .at(chemin.to_string()));
    }
    for (j, f) in fichiers.iter().enumerate() {
        let at = || format!("{chemin}[{j}]");
        if f.nom.trim().is_empty()
            || f.nom.chars().count() > 255
            || f.nom.chars().any(char::is_control)
        {
            return Err(Erreur::new(
                CodeErreur::EnveloppeIncorrecte,
                "nom de fichier vide, trop long ou avec des caractères de contrôle",
            )
            .at(format!("{}.nom", at())));
        }
        if f.document
            .as_deref()
            .is_some_and(|d| d.trim().is_empty() || d.chars().count() > 256)
        {
            return Err(Erreur::new(
                CodeErreur::ChampTropLong,
                "libellé de document vide ou de plus de 256 caractères",
            )
            .at(format!("{}.document", at())));
        }
        if !sha256_valide(&f.sha256) {
            return Err(Erreur::new(
                CodeErreur::EnveloppeIncorrecte,
                format!("empreinte SHA-256 de « {} » invalide (64 chiffres hexadécimaux minuscules attendus)", f.nom),
            )
            .at(format!("{}.sha256", at())));
        }
    }
    Ok(())
}

/// Without the bytes, the values mpe would compute on them (encryption, size, hash of the
/// envelope) cannot be checked: refused rather than recorded as the host says.
fn refuser_declarations(enveloppes: &[EnveloppeDeposee]) -> Result<()> {
    for (i, e) in enveloppes.iter().enumerate() {
        let champ = if e.chiffree {
            "chiffree"
        } else if e.sha256.is_some() {
            "sha256"
        } else if e.taille.is_some() {
            "taille"
        } else {
            continue;
        };
        return Err(Erreur::new(
            CodeErreur::OctetsRequis,
            format!(
                "« {champ} » est calculé par mpe sur les octets de l'enveloppe : déposer avec deposer_octets"
            ),
        )
        .at(format!("$.enveloppes[{i}].{champ}")));
    }
    Ok(())
}

impl Procedure {
    /// Lots answered, normalized: `[0]` when non allotie; each lot known, no duplicate.
    fn lots_normalises(&self, lots: &[u32]) -> Result<Vec<u32>> {
        if !self.consultation.identification.allotie {
            return if lots.is_empty() || lots == [0] {
                Ok(vec![0])
            } else {
                Err(Erreur::new(
                    CodeErreur::LotInconnu,
                    "consultation non allotie : aucun lot à désigner",
                )
                .at("$.lots"))
            };
        }
        if lots.is_empty() {
            return Err(Erreur::new(
                CodeErreur::LotInconnu,
                "consultation allotie : indiquer au moins un lot",
            )
            .at("$.lots"));
        }
        let mut vus = Vec::with_capacity(lots.len());
        for (i, &l) in lots.iter().enumerate() {
            if !self.lot_existe(l) {
                return Err(
                    Erreur::new(CodeErreur::LotInconnu, format!("lot {l} inconnu"))
                        .at(format!("$.lots[{i}]")),
                );
            }
            if vus.contains(&l) {
                return Err(
                    Erreur::new(CodeErreur::LotInconnu, format!("lot {l} en double"))
                        .at(format!("$.lots[{i}]")),
                );
            }
            vus.push(l);
        }
        vus.sort_unstable();
        Ok(vus)
    }

    /// The envelopes the modalités ask for these lots.
    pub fn enveloppes_attendues(&self, lots: &[u32]) -> Vec<RefEnveloppe> {
        let mut out = Vec::new();
        for &t in &self.consultation.modalites.enveloppes {
            if t.par_lot() {
                out.extend(lots.iter().map(|&lot| RefEnveloppe { enveloppe: t, lot }));
            } else {
                out.push(RefEnveloppe {
                    enveloppe: t,
                    lot: 0,
                });
            }
        }
        out
    }

    /// Check a set of envelope references against what is expected: no unknown, no
    /// duplicate, and (when `complet`) none missing.
    fn verifier_jeu(&self, refs: &[RefEnveloppe], lots: &[u32], complet: bool) -> Result<()> {
        let attendues = self.enveloppes_attendues(lots);
        if refs.is_empty() {
            return Err(
                Erreur::new(CodeErreur::EnveloppeIncorrecte, "aucune enveloppe").at("$.enveloppes"),
            );
        }
        for (i, r) in refs.iter().enumerate() {
            if r.lot != 0 && !lots.contains(&r.lot) && self.lot_existe(r.lot) {
                return Err(Erreur::new(
                    CodeErreur::EnveloppeIncorrecte,
                    format!("{r} : lot non désigné dans le pli"),
                )
                .at(format!("$.enveloppes[{i}]")));
            }
            if r.lot != 0 && !self.lot_existe(r.lot) {
                return Err(
                    Erreur::new(CodeErreur::LotInconnu, format!("lot {} inconnu", r.lot))
                        .at(format!("$.enveloppes[{i}].lot")),
                );
            }
            if !attendues.contains(r) {
                return Err(Erreur::new(
                    CodeErreur::EnveloppeIncorrecte,
                    format!("enveloppe {r} non prévue par les modalités"),
                )
                .at(format!("$.enveloppes[{i}]")));
            }
            if refs.iter().take(i).any(|x| x == r) {
                return Err(Erreur::new(
                    CodeErreur::EnveloppeIncorrecte,
                    format!("enveloppe {r} en double"),
                )
                .at(format!("$.enveloppes[{i}]")));
            }
        }
        if complet && let Some(m) = attendues.iter().find(|a| !refs.contains(a)) {
            return Err(Erreur::new(
                CodeErreur::EnveloppeIncorrecte,
                format!("enveloppe {m} manquante"),
            )
            .at("$.enveloppes"));
        }
        Ok(())
    }

    fn admise_a_repondre(&self, e: &Entreprise) -> Result<()> {
        if let Some(admises) = &self.entreprises_admises
            && !admises.contains(&e.identifiant)
        {
            return Err(Erreur::new(
                CodeErreur::EntrepriseNonAdmise,
                format!(
                    "{} ({}) n'a pas été sélectionnée pour cette phase",
                    e.raison_sociale, e.identifiant
                ),
            ));
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn deposer(
        &mut self,
        ctx: &Contexte<'_>,
        phase: Phase,
        entreprise: &Entreprise,
        lots: &[u32],
        enveloppes: &[EnveloppeDeposee],
        code_acces: Option<&str>,
        faits: Option<&Faits>,
        ev: &mut Vec<Evenement>,
    ) -> Result<()> {
        let octets = match faits {
            None if !self.cles_chiffrement.is_empty() => {
                return Err(Erreur::new(
                    CodeErreur::OctetsRequis,
                    "la consultation a enregistré ses clés de chiffrement : le dépôt se fait avec les octets des enveloppes (deposer_octets)",
                ));
            }
            // mpe checks the encryption on the bytes: a declared one is not accepted, even
            // from a consultation validated without keys (issue #18: what mpe can compute
            // is no longer taken from the host).
            None if self.consultation.modalites.chiffrement => {
                return Err(Erreur::new(
                    CodeErreur::OctetsRequis,
                    "le chiffrement est exigé : le dépôt se fait avec les octets des enveloppes (deposer_octets), mpe contrôle lui-même leur chiffrement",
                ));
            }
            None => {
                refuser_declarations(enveloppes)?;
                None
            }
            Some(Faits::Depot(v)) if v.len() == enveloppes.len() => Some(v.as_slice()),
            Some(_) => return Err(Erreur::internal("faits de dépôt incohérents")),
        };
        let modalites = &self.consultation.modalites;
        if modalites.reponse_electronique == ReponseElectronique::Refusee {
            return Err(Erreur::new(
                CodeErreur::ReponseElectroniqueRefusee,
                "cette consultation n'accepte que des plis papier",
            ));
        }
        match phase {
            Phase::Consultation => {}
            Phase::OuvertureAnalyse | Phase::Decision => {
                return Err(self.hors_delai(ctx.maintenant));
            }
            p => {
                return Err(crate::model::phase_incorrecte(
                    "le dépôt d'un pli",
                    p,
                    "Consultation",
                ));
            }
        }
        // phase_a already says Consultation only strictly before the DLRO; keep the check
        // explicit where it matters most.
        let dlro = self.dlro_fixee()?;
        if ctx.maintenant >= dlro {
            return Err(self.hors_delai(ctx.maintenant));
        }
        self.entreprise_autorisee(ctx, entreprise, code_acces)?;
        self.admise_a_repondre(entreprise)?;
        let lots = self.lots_normalises(lots)?;
        let refs: Vec<RefEnveloppe> = enveloppes
            .iter()
            .map(|e| RefEnveloppe {
                enveloppe: e.enveloppe,
                lot: e.lot,
            })
            .collect();
        self.verifier_jeu(&refs, &lots, true)?;
        let signature_requise = modalites.signature == SignatureRequise::Requise;
        for (i, e) in enveloppes.iter().enumerate() {
            let chemin = format!("$.enveloppes[{i}].fichiers");
            if e.fichiers.is_empty() {
                return Err(Erreur::new(
                    CodeErreur::EnveloppeIncorrecte,
                    format!(
                        "enveloppe {} vide",
                        refs.get(i).copied().unwrap_or(RefEnveloppe {
                            enveloppe: e.enveloppe,
                            lot: e.lot
                        })
                    ),
                )
                .at(chemin));
            }
            verifier_fichiers(&e.fichiers, &chemin)?;
            if let Some((o, refus)) = octets.and_then(|v| v.get(i)) {
                self.verifier_octets(e, o, refus.as_ref(), &format!("$.enveloppes[{i}]"))?;
                // The declared signatures cannot be checked in an encrypted envelope:
                // the opening verifies them and records its own results.
                continue;
            }
            if signature_requise {
                for (j, f) in e.fichiers.iter().enumerate() {
                    if let Some(m) = signature_manquante(f) {
                        return Err(Erreur::new(
                            CodeErreur::SignatureManquante,
                            format!("signature électronique exigée : « {} » {m}", f.nom),
                        )
                        .at(format!("$.enveloppes[{i}].fichiers[{j}].signature")));
                    }
                }
            }
        }
        for (i, e) in enveloppes.iter().enumerate() {
            self.verifier_documents(e, &lots, &format!("$.enveloppes[{i}].fichiers"))?;
        }
        // Everything checked: record.
        let numero = self.prochain_numero()?;
        let pli = Pli {
            numero,
            mode: ModeDepot::Electronique,
            entreprise: entreprise.clone(),
            lots,
            horodatage: ctx.maintenant,
            hors_delai: false,
            remplace_par: None,
            enveloppes: enveloppes
                .iter()
                .enumerate()
                .map(|(i, e)| Enveloppe {
                    enveloppe: e.enveloppe,
                    lot: e.lot,
                    chiffree: match octets.and_then(|v| v.get(i)) {
                        Some((o, _)) => o.cms.is_some(),
                        None => e.chiffree,
                    },
                    fichiers: e.fichiers.len() as u32,
                    taille: e
                        .fichiers
                        .iter()
                        .map(|f| f.taille)
                        .fold(0, u64::saturating_add),
                    empreinte: Some(empreinte_fichiers(&e.fichiers)),
                    statut: StatutEnveloppe::Fermee,
                    echecs_dechiffrement: 0,
                    octets: octets.and_then(|v| v.get(i)).map(|(o, _)| o.clone()),
                })
                .collect(),
            admission: None,
            complements: Vec::new(),
        };
        let accuse = self.accuse_de(&pli, enveloppes);
        self.plis.push(pli);
        let remplace = self.enregistrer_dernier(numero)?;
        ev.push(Evenement::PliDepose { accuse, remplace });
        Ok(())
    }

    /// The documents attendus of an envelope of a pli answering `lots`: those of its kind,
    /// for every lot or for its lot (for the candidature, common to the lots: for one of the
    /// lots answered).
    pub fn documents_attendus(
        &self,
        r: RefEnveloppe,
        lots: &[u32],
    ) -> impl Iterator<Item = &DocumentAttendu> {
        self.consultation
            .modalites
            .documents
            .iter()
            .filter(move |d| {
                d.enveloppe == r.enveloppe
                    && d.lot.is_none_or(|l| {
                        if r.enveloppe.par_lot() {
                            l == r.lot
                        } else {
                            lots.contains(&l)
                        }
                    })
            })
    }

    /// Check an envelope's files against its documents attendus: each file declaring a
    /// document answers one expected here, in an accepted format, signed when the document
    /// requires it; each mandatory document is answered by at least one file.
    ///
    /// The per-document `signature_requise` adds to the consultation's rule: a document
    /// may require a signature the consultation does not (the acte d'engagement), while a
    /// consultation requiring signatures still requires them of every file (checked
    /// before). A signature declared `indeterminee` is accepted, as for the consultation's
    /// rule; `invalide` is not. The format is the file's extension (for a CAdES
    /// enveloping signature `AE.pdf.p7s`, the signed file's), without case. Files that
    /// declare no document are free pieces. Paper plis carry no file list: their
    /// documents are checked by the agent at opening.
    fn verifier_documents(&self, e: &EnveloppeDeposee, lots: &[u32], chemin: &str) -> Result<()> {
        let r = RefEnveloppe {
            enveloppe: e.enveloppe,
            lot: e.lot,
        };
        for (j, f) in e.fichiers.iter().enumerate() {
            let Some(libelle) = f.document.as_deref() else {
                continue;
            };
            let at = |champ: &str| format!("{chemin}[{j}]{champ}");
            let d = self
                .documents_attendus(r, lots)
                .find(|d| meme_libelle(&d.libelle, libelle))
                .ok_or_else(|| {
                    Erreur::new(
                        CodeErreur::DocumentInattendu,
                        format!(
                            "« {} » : le document « {libelle} » n'est pas attendu dans l'enveloppe {r}",
                            f.nom
                        ),
                    )
                    .at(at(".document"))
                })?;
            if !d.formats.is_empty() {
                let ext = extension(f);
                if !d
                    .formats
                    .iter()
                    .any(|x| x.trim_start_matches('.').eq_ignore_ascii_case(&ext))
                {
                    return Err(Erreur::new(
                        CodeErreur::FormatDocumentRefuse,
                        format!(
                            "« {} » (document « {} », enveloppe {r}) : format « {ext} » refusé, formats acceptés : {}",
                            f.nom,
                            d.libelle,
                            d.formats.join(", ")
                        ),
                    )
                    .at(at(".nom")));
                }
            }
            if d.signature_requise
                && let Some(m) = signature_manquante(f)
            {
                return Err(Erreur::new(
                    CodeErreur::SignatureManquante,
                    format!(
                        "le document « {} » (enveloppe {r}) doit être signé : « {} » {m}",
                        d.libelle, f.nom
                    ),
                )
                .at(at(".signature")));
            }
        }
        if let Some(d) = self.documents_attendus(r, lots).find(|d| {
            d.obligatoire
                && !e.fichiers.iter().any(|f| {
                    f.document
                        .as_deref()
                        .is_some_and(|x| meme_libelle(&d.libelle, x))
                })
        }) {
            return Err(Erreur::new(
                CodeErreur::DocumentManquant,
                format!(
                    "document obligatoire « {} » absent de l'enveloppe {r}",
                    d.libelle
                ),
            )
            .at(chemin.to_string()));
        }
        Ok(())
    }

    fn hors_delai(&self, t: DateTime<Utc>) -> Erreur {
        let dlro = self.dlro.map(crate::format::date_heure).unwrap_or_default();
        Erreur::new(
            CodeErreur::HorsDelai,
            format!(
                "pli reçu le {} (heure de Paris), à ou après la date limite du {dlro}",
                crate::rules::temps::heure_paris(t).format("%d/%m/%Y à %H:%M:%S")
            ),
        )
    }

    fn prochain_numero(&self) -> Result<u32> {
        u32::try_from(self.plis.len() + 1)
            .map_err(|_| Erreur::new(CodeErreur::LimiteDepassee, "trop de plis"))
    }

    /// Record pli `numero` (just pushed) as its company's last pli when it is in time and
    /// the latest received; returns the pli it replaces.
    fn enregistrer_dernier(&mut self, numero: u32) -> Result<Option<u32>> {
        let (autres, nouveau) = match (numero as usize)
            .checked_sub(1)
            .and_then(|i| self.plis.split_at_checked(i))
        {
            Some((autres, [p, ..])) => (autres, p),
            _ => return Err(Erreur::internal("pli introuvable")),
        };
        if nouveau.hors_delai {
            return Ok(None);
        }
        let horodatage = nouveau.horodatage;
        // The company's current pli: in time and not replaced (at most one, checked on
        // load). A scan from the end costs less than keeping an index, which would have to
        // be rebuilt on every load of the state for the one dépôt a call usually applies.
        let precedent = autres
            .iter()
            .rev()
            .find(|p| p.recevable() && p.entreprise.identifiant == nouveau.entreprise.identifiant)
            .map(|p| (p.numero, p.horodatage));
        match precedent {
            Some((n, h)) if horodatage < h => {
                // A paper pli registered late but received before the company's last pli:
                // it is the one replaced.
                if let Some(p) = self.pli_mut(numero) {
                    p.remplace_par = Some(n);
                }
                Ok(None)
            }
            Some((n, _)) => {
                if let Some(p) = self.pli_mut(n) {
                    p.remplace_par = Some(numero);
                }
                Ok(Some(n))
            }
            None => Ok(None),
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn pli_papier(
        &mut self,
        ctx: &Contexte<'_>,
        phase: Phase,
        entreprise: &Entreprise,
        lots: &[u32],
        enveloppes: &[RefEnveloppe],
        recu_le: DateTime<Utc>,
        ev: &mut Vec<Evenement>,
    ) -> Result<()> {
        if !matches!(phase, Phase::Consultation | Phase::OuvertureAnalyse) {
            return Err(crate::model::phase_incorrecte(
                "l'enregistrement d'un pli papier",
                phase,
                "Consultation ou Ouverture et analyse",
            ));
        }
        self.agent(ctx, Requis::Suivi)?;
        if recu_le > ctx.maintenant {
            return Err(Erreur::invalid_argument(
                "la date de réception d'un pli papier ne peut pas être future",
            )
            .at("$.recu_le"));
        }
        if self.mise_en_ligne.is_some_and(|m| recu_le < m) {
            return Err(Erreur::invalid_argument(
                "pli papier reçu avant la mise en ligne de la consultation",
            )
            .at("$.recu_le"));
        }
        entreprise.verifier()?;
        self.admise_a_repondre(entreprise)?;
        let lots = self.lots_normalises(lots)?;
        self.verifier_jeu(enveloppes, &lots, false)?;
        let dlro = self.dlro_fixee()?;
        let hors_delai = recu_le >= dlro;
        // A pli in time may replace or be replaced by another of the company: that must be
        // settled before anything is opened, so the register closes at the first opening
        // (late plis are still recorded: they are never opened).
        if !hors_delai && self.ouverture_commencee() {
            return Err(crate::model::phase_incorrecte(
                "l'enregistrement d'un pli papier reçu dans les délais après le début de l'ouverture",
                phase,
                "avant la première ouverture",
            ));
        }
        let numero = self.prochain_numero()?;
        self.plis.push(Pli {
            numero,
            mode: ModeDepot::Papier,
            entreprise: entreprise.clone(),
            lots: lots.clone(),
            horodatage: recu_le,
            hors_delai,
            remplace_par: None,
            enveloppes: enveloppes
                .iter()
                .map(|r| Enveloppe {
                    enveloppe: r.enveloppe,
                    lot: r.lot,
                    chiffree: false,
                    fichiers: 0,
                    taille: 0,
                    empreinte: None,
                    statut: StatutEnveloppe::Fermee,
                    echecs_dechiffrement: 0,
                    octets: None,
                })
                .collect(),
            admission: None,
            complements: Vec::new(),
        });
        let remplace = self.enregistrer_dernier(numero)?;
        let remplace_par = self.pli(numero).and_then(|p| p.remplace_par);
        ev.push(Evenement::PliPapierEnregistre {
            pli: numero,
            entreprise: entreprise.identifiant.clone(),
            lots,
            recu_le,
            hors_delai,
            remplace,
            remplace_par,
        });
        Ok(())
    }

    /// Whether any envelope has been opened or refused.
    pub fn ouverture_commencee(&self) -> bool {
        self.plis.iter().any(|p| {
            p.enveloppes
                .iter()
                .any(|e| !matches!(e.statut, StatutEnveloppe::Fermee))
        })
    }

    fn accuse_de(&self, pli: &Pli, enveloppes: &[EnveloppeDeposee]) -> AccuseReception {
        AccuseReception {
            consultation: self.consultation.id.clone(),
            reference: self.consultation.identification.reference.clone(),
            pli: pli.numero,
            entreprise: pli.entreprise.identifiant.clone(),
            raison_sociale: pli.entreprise.raison_sociale.clone(),
            lots: pli.lots.clone(),
            horodatage: pli.horodatage,
            enveloppes: pli
                .enveloppes
                .iter()
                .filter_map(|e| {
                    e.octets.as_ref().map(|o| EnveloppeRecue {
                        enveloppe: e.reference(),
                        taille: o.taille,
                        sha256: o.sha256,
                        chiffrement: o.cms.as_ref().map(|c| c.algorithme.clone()),
                    })
                })
                .collect(),
            fichiers: enveloppes
                .iter()
                .flat_map(|e| {
                    e.fichiers.iter().map(move |f| FichierRecu {
                        enveloppe: RefEnveloppe {
                            enveloppe: e.enveloppe,
                            lot: e.lot,
                        },
                        nom: f.nom.clone(),
                        taille: f.taille,
                        sha256: f.sha256.clone(),
                        document: f.document.clone(),
                    })
                })
                .collect(),
        }
    }
}

impl Procedure {
    /// Submit an electronic pli with the bytes of its envelopes (`octets[i]` is the
    /// envelope `enveloppes[i]` of the [`Action::Deposer`]), as the host received them.
    ///
    /// mpe reads each envelope once, in constant memory: its size and SHA-256, and, when it
    /// is a CMS envelope, its content encryption and recipients. A dépôt is refused, the
    /// state unchanged, when an envelope is in clear while encryption is required
    /// (`ENVELOPPE_NON_CHIFFREE`), is not a CMS envelope (`ENVELOPPE_NON_CMS`), is
    /// encrypted to a key that is not the consultation's or misses one of its personal
    /// keys (`DESTINATAIRES_INCORRECTS`), misses a secours key (`CLE_SECOURS_ABSENTE`),
    /// uses a content encryption not allowed (`CHIFFREMENT_NON_AUTORISE`), or when a
    /// declared hash, size or encryption differs from the computed one
    /// (`DECLARATION_INCORRECTE`). The receipt lists what mpe computed.
    pub fn deposer_octets(
        &mut self,
        action: &Action,
        octets: &mut [&mut dyn Read],
        ctx: &Contexte<'_>,
    ) -> Result<Vec<EntreeJournal>> {
        let Action::Deposer { enveloppes, .. } = action else {
            return Err(Erreur::invalid_argument(format!(
                "deposer_octets : action « deposer » attendue, « {} » reçue",
                action.nom()
            )));
        };
        if octets.len() != enveloppes.len() {
            return Err(Erreur::invalid_argument(format!(
                "{} enveloppe(s) déclarée(s), {} flux d'octets fournis",
                enveloppes.len(),
                octets.len()
            ))
            .at("$.enveloppes"));
        }
        // Refuse what needs no reading before reading hundreds of MB.
        self.clone()
            .appliquer_avec(
                action,
                ctx,
                Some(&Faits::Depot(
                    enveloppes
                        .iter()
                        .map(|_| (OctetsEnveloppe::vide(), None))
                        .collect(),
                )),
            )
            .or_else(|e| match e.code() {
                CodeErreur::EnveloppeNonChiffree
                | CodeErreur::EnveloppeNonCms
                | CodeErreur::DeclarationIncorrecte
                | CodeErreur::CleChiffrementManquante => Ok(Vec::new()),
                _ => Err(e),
            })?;
        let mut faits = Vec::with_capacity(octets.len());
        for (i, r) in octets.iter_mut().enumerate() {
            faits.push(
                lecture::lire(&mut **r, &self.cles_chiffrement)
                    .map_err(|e| e.at(format!("$.enveloppes[{i}]")))?,
            );
        }
        self.appliquer_avec(action, ctx, Some(&Faits::Depot(faits)))
    }

    /// Check an envelope's computed bytes against the declaration and the consultation.
    fn verifier_octets(
        &self,
        e: &EnveloppeDeposee,
        o: &OctetsEnveloppe,
        non_cms: Option<&Erreur>,
        at: &str,
    ) -> Result<()> {
        if let Some(h) = &e.sha256
            && *h != o.sha256.to_string()
        {
            return Err(Erreur::new(
                CodeErreur::DeclarationIncorrecte,
                format!(
                    "empreinte SHA-256 déclarée {h}, calculée sur les octets reçus {}",
                    o.sha256
                ),
            )
            .at(format!("{at}.sha256")));
        }
        if let Some(t) = e.taille
            && t != o.taille
        {
            return Err(Erreur::new(
                CodeErreur::DeclarationIncorrecte,
                format!("taille déclarée {t} octets, reçue {} octets", o.taille),
            )
            .at(format!("{at}.taille")));
        }
        let Some(cms) = &o.cms else {
            if e.chiffree || self.consultation.modalites.chiffrement {
                return Err(non_cms
                    .cloned()
                    .unwrap_or_else(|| {
                        Erreur::new(CodeErreur::EnveloppeNonChiffree, "enveloppe en clair")
                    })
                    .at(at.to_string()));
            }
            return Ok(());
        };
        if self.cles_chiffrement.is_empty() {
            return Err(Erreur::new(
                CodeErreur::CleChiffrementManquante,
                "la consultation n'a pas enregistré de clés de chiffrement à sa validation : ses enveloppes chiffrées ne peuvent pas être contrôlées",
            )
            .at(at.to_string()));
        }
        match &cms.refus {
            Some(r) => Err(r.clone().at(at.to_string())),
            None => Ok(()),
        }
    }
}
