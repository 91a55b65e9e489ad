//! Generate a realistic national DECP file for the benchmarks (never committed):
//! `cargo run --release -p mpe --example donnees_generate -- N OUT.json [json|xml]`.
//!
//! 2022-format records (with a share in the 2019 shape), a few percent carrying the defects
//! of real data (1e17, "NC", SIRETs with spaces, English dates, `0222-..`, nested titulaires,
//! "oui"/"non"), 10 % with modifications, buyers and companies drawn from pools so that the
//! same names recur as in the national file.

use std::io::Write;

struct Alea(u64);

impl Alea {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn n(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn f(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn siret(a: &mut Alea) -> String {
    let mut d: Vec<u32> = (0..13).map(|_| a.n(10) as u32).collect();
    let somme: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, v)| {
            // positions counted from the right once the check digit is appended
            if i % 2 == 0 {
                let x = v * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                *v
            }
        })
        .sum();
    d.push((10 - somme % 10) % 10);
    d.iter().map(|x| char::from(b'0' + *x as u8)).collect()
}

const MOTS: &[&str] = &[
    "travaux",
    "réfection",
    "voirie",
    "entretien",
    "espaces",
    "verts",
    "fourniture",
    "mobilier",
    "scolaire",
    "nettoyage",
    "locaux",
    "maintenance",
    "chauffage",
    "ventilation",
    "climatisation",
    "assurance",
    "prestations",
    "restauration",
    "collective",
    "transport",
    "élèves",
    "réseau",
    "assainissement",
    "eau",
    "potable",
    "construction",
    "gymnase",
    "école",
    "médiathèque",
    "rénovation",
    "énergétique",
    "éclairage",
    "public",
    "signalisation",
    "informatique",
    "logiciel",
    "licences",
    "matériel",
    "véhicules",
    "électriques",
    "carburant",
    "papier",
    "impression",
    "reprographie",
    "formation",
    "agents",
    "conseil",
    "juridique",
    "maîtrise",
    "d'œuvre",
    "diagnostic",
    "amiante",
    "désamiantage",
    "couverture",
    "toiture",
    "menuiseries",
    "extérieures",
    "peinture",
    "sols",
    "plomberie",
    "électricité",
    "courants",
    "faibles",
    "ascenseurs",
    "sécurité",
    "incendie",
    "gardiennage",
    "télésurveillance",
    "déchets",
    "collecte",
    "tri",
    "traitement",
    "hôpital",
    "laboratoire",
    "réactifs",
    "médicaments",
    "dispositifs",
    "médicaux",
    "téléphonie",
    "mobile",
    "fibre",
    "optique",
    "hébergement",
    "données",
    "archivage",
    "études",
    "urbanisme",
    "aménagement",
    "place",
    "centre-ville",
    "pont",
    "ouvrage",
    "d'art",
    "piscine",
    "stade",
    "salle",
    "polyvalente",
    "crèche",
    "EHPAD",
    "cantine",
    "denrées",
    "alimentaires",
    "biologiques",
    "boulangerie",
    "viande",
    "fruits",
    "légumes",
    "vêtements",
    "travail",
    "EPI",
];
const CPV: &[&str] = &[
    "45233140-2",
    "45000000-7",
    "45210000-2",
    "45261000-4",
    "45310000-3",
    "45330000-9",
    "45453000-7",
    "77313000-7",
    "90919300-5",
    "39160000-1",
    "30197600-2",
    "30213000-5",
    "48000000-8",
    "72000000-5",
    "79341000-6",
    "66510000-8",
    "55524000-9",
    "60130000-8",
    "71000000-8",
    "71221000-3",
    "50700000-2",
    "09134200-9",
    "15800000-6",
    "33600000-6",
    "34144900-7",
    "18100000-0",
    "90511000-2",
    "79710000-4",
    "80500000-9",
    "64200000-8",
];
const PROCEDURES: &[&str] = &[
    "Procédure adaptée",
    "Procédure adaptée",
    "Procédure adaptée",
    "Appel d'offres ouvert",
    "Appel d'offres restreint",
    "Procédure avec négociation",
    "Marché passé sans publicité ni mise en concurrence préalable",
    "Dialogue compétitif",
];
const VILLES: &[&str] = &[
    "Commune de",
    "Ville de",
    "Département de",
    "Région",
    "Centre hospitalier de",
    "Syndicat intercommunal de",
    "Communauté de communes de",
    "Métropole de",
    "Lycée de",
];
const LIEUX: &[&str] = &[
    "Rennes",
    "Nantes",
    "Lyon",
    "Lille",
    "Bordeaux",
    "Toulouse",
    "Brest",
    "Quimper",
    "Vannes",
    "Saint-Malo",
    "Angers",
    "Tours",
    "Dijon",
    "Besançon",
    "Metz",
    "Nancy",
    "Reims",
    "Rouen",
    "Caen",
    "Limoges",
    "Clermont-Ferrand",
    "Grenoble",
    "Annecy",
    "Nice",
    "Marseille",
    "Nîmes",
];
const FORMES: &[&str] = &["SAS", "SARL", "SA", "EURL", "SCOP", "SASU"];

fn texte(a: &mut Alea, n: usize) -> String {
    (0..n)
        .map(|_| MOTS[a.n(MOTS.len())])
        .collect::<Vec<_>>()
        .join(" ")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .ok_or("usage: donnees_generate N SORTIE [json|xml]")?
        .parse()?;
    let sortie = args.next().ok_or("SORTIE attendue")?;
    let xml = args.next().as_deref() == Some("xml");
    let mut a = Alea(0x5EED_DECF_2024_0001);
    let acheteurs: Vec<(String, String)> = (0..40_000)
        .map(|_| {
            let nom = format!("{} {}", VILLES[a.n(VILLES.len())], LIEUX[a.n(LIEUX.len())]);
            (siret(&mut a), nom)
        })
        .collect();
    let entreprises: Vec<(String, String)> = (0..250_000)
        .map(|_| {
            let nom = format!(
                "{} {} {}",
                MOTS[a.n(MOTS.len())].to_uppercase(),
                LIEUX[a.n(LIEUX.len())],
                FORMES[a.n(FORMES.len())]
            );
            (siret(&mut a), nom)
        })
        .collect();
    let mut w = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&sortie)?);
    if xml {
        writeln!(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<marches>")?;
    } else {
        writeln!(w, "{{\"marches\": {{\"marche\": [")?;
    }
    for i in 0..n {
        let (ach, _nom) = &acheteurs[a.n(acheteurs.len()).min(a.n(acheteurs.len()))];
        let nb_tit = if a.n(10) == 0 { 2 } else { 1 };
        let tits: Vec<&(String, String)> = (0..nb_tit)
            .map(|_| &entreprises[a.n(entreprises.len())])
            .collect();
        let annee = 2019 + a.n(7);
        let mois = 1 + a.n(12);
        let jour = 1 + a.n(28);
        let mut date = format!("{annee}-{mois:02}-{jour:02}");
        let pub_date = format!("{annee}-{mois:02}-{:02}", (jour + 3).min(28));
        let montant = (10f64.powf(3.0 + 4.0 * a.f()) * 100.0).round() / 100.0;
        let mut montant_s = format!("{montant}");
        let cpv = CPV[a.n(CPV.len())];
        let nb_mots = 3 + a.n(6);
        let objet = texte(&mut a, nb_mots);
        let mut tit_ids: Vec<String> = tits.iter().map(|t| t.0.clone()).collect();
        let mut type_id = "\"typeIdentifiant\": \"SIRET\", ";
        let mut imbrique = false;
        let mut booleen = "false".to_string();
        // ~3 % of records carry a real-world defect.
        match a.n(100) {
            0 => montant_s = "1e17".into(),
            1 => montant_s = "\"NC\"".into(),
            2 => {
                let s = &tit_ids[0];
                tit_ids[0] = format!("{} {} {} {}", &s[..3], &s[3..6], &s[6..9], &s[9..]);
                type_id = "";
            }
            3 => {
                date = match a.n(3) {
                    0 => format!("September, {jour} {annee} 00:00:00"),
                    1 => format!("0{}-{mois:02}-{jour:02}", 200 + annee % 100),
                    _ => format!("{annee}-02-30"),
                };
                imbrique = true;
                booleen = "\"oui\"".into();
            }
            _ => {}
        }
        let modifs = if a.n(10) == 0 {
            format!(
                ", \"modifications\": [{{\"modification\": {{\"id\": 1, \"dateNotificationModification\": \"{}-12-01\", \"datePublicationDonneesModification\": \"{}-12-03\", \"montant\": {}, \"dureeMois\": {}}}}}]",
                annee.min(2025),
                annee.min(2025),
                (montant * 1.1).round(),
                12 + a.n(24)
            )
        } else {
            String::new()
        };
        let id = format!("{annee}{:010}", i);
        if xml {
            let tit_xml: String = tit_ids
                .iter()
                .map(|t| format!("<titulaire><typeIdentifiant>SIRET</typeIdentifiant><id>{t}</id></titulaire>"))
                .collect();
            let m = montant_s.trim_matches('"');
            writeln!(
                w,
                "<marche><id>{id}</id><acheteur><id>{ach}</id></acheteur><nature>Marché</nature><objet>{objet}</objet><codeCPV>{cpv}</codeCPV><techniques><technique>Sans objet</technique></techniques><modalitesExecution><modaliteExecution>Sans objet</modaliteExecution></modalitesExecution><marcheInnovant>non</marcheInnovant><ccag>Travaux</ccag><offresRecues>{}</offresRecues><attributionAvance>non</attributionAvance><typeGroupementOperateurs>Pas de groupement</typeGroupementOperateurs><sousTraitanceDeclaree>non</sousTraitanceDeclaree><procedure>{}</procedure><lieuExecution><code>35000</code><typeCode>Code postal</typeCode></lieuExecution><dureeMois>{}</dureeMois><dateNotification>{date}</dateNotification><datePublicationDonnees>{pub_date}</datePublicationDonnees><montant>{m}</montant><typesPrix><typePrix>Définitif ferme</typePrix></typesPrix><formePrix>Forfaitaire</formePrix><titulaires>{tit_xml}</titulaires><considerationsSociales><considerationSociale>Pas de considération sociale</considerationSociale></considerationsSociales><considerationsEnvironnementales><considerationEnvironnementale>Pas de considération environnementale</considerationEnvironnementale></considerationsEnvironnementales></marche>",
                1 + a.n(8),
                PROCEDURES[a.n(PROCEDURES.len())].replace('\'', "&apos;"),
                1 + a.n(48)
            )?;
            continue;
        }
        let tit_json: Vec<String> = tit_ids
            .iter()
            .zip(&tits)
            .map(|(t, e)| {
                if a.n(3) == 0 {
                    // 2019 shape, with the name
                    format!(
                        "{{{type_id}\"id\": \"{t}\", \"denominationSociale\": \"{}\"}}",
                        e.1
                    )
                } else {
                    format!("{{\"titulaire\": {{{type_id}\"id\": \"{t}\"}}}}")
                }
            })
            .collect();
        let titulaires = if imbrique {
            format!("[[{}]]", tit_json.join(", "))
        } else {
            format!("[{}]", tit_json.join(", "))
        };
        writeln!(
            w,
            "{}{{\"id\": \"{id}\", \"acheteur\": {{\"id\": \"{ach}\"}}, \"nature\": \"Marché\", \"objet\": \"{objet}\", \"codeCPV\": \"{cpv}\", \"techniques\": {{\"technique\": [\"Sans objet\"]}}, \"modalitesExecution\": {{\"modaliteExecution\": [\"Sans objet\"]}}, \"marcheInnovant\": {booleen}, \"ccag\": \"Travaux\", \"offresRecues\": {}, \"attributionAvance\": false, \"typeGroupementOperateurs\": \"Pas de groupement\", \"sousTraitanceDeclaree\": false, \"procedure\": \"{}\", \"lieuExecution\": {{\"code\": \"35000\", \"typeCode\": \"Code postal\"}}, \"dureeMois\": {}, \"dateNotification\": \"{date}\", \"datePublicationDonnees\": \"{pub_date}\", \"montant\": {montant_s}, \"typesPrix\": {{\"typePrix\": [\"Définitif ferme\"]}}, \"formePrix\": \"Forfaitaire\", \"titulaires\": {titulaires}, \"considerationsSociales\": {{\"considerationSociale\": [\"Pas de considération sociale\"]}}, \"considerationsEnvironnementales\": {{\"considerationEnvironnementale\": [\"Pas de considération environnementale\"]}}{modifs}}}",
            if i == 0 { "" } else { "," },
            1 + a.n(8),
            PROCEDURES[a.n(PROCEDURES.len())],
            1 + a.n(48)
        )?;
    }
    if xml {
        writeln!(w, "</marches>")?;
    } else {
        writeln!(w, "]}}}}")?;
    }
    w.flush()?;
    Ok(())
}
