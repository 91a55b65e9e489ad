// The content of the DAJ forms (included by generer.rs). Field names are those of the
// data built by `mpe::documents::formulaires::donnees_formulaire`.

fn acheteur() -> Vec<B> {
    vec![
        B::T1("A – Identification de l'acheteur"),
        B::Fiche(&[
            ("Acheteur", "{{ organisme.nom }}"),
            ("Adresse", "{{ organisme.adresse }}"),
            ("SIRET", "{{ organisme.siret | siret }}"),
            ("Représentant", "{{ organisme.representant.nom }}, {{ organisme.representant.qualite }}"),
        ]),
    ]
}

fn objet() -> Vec<B> {
    vec![
        B::T1("B – Objet de la consultation"),
        B::Fiche(&[
            ("Référence", "{{ consultation.reference }}"),
            ("Intitulé", "{{ consultation.intitule }}"),
            ("Objet", "{{ consultation.objet }}"),
            ("Procédure", "{{ consultation.procedure }}"),
            ("Type de marché", "{{ consultation.type_marche }}"),
            ("Code CPV principal", "{{ consultation.cpv }}"),
            ("Date limite de remise des plis", "{{ consultation.date_limite | date_longue }} à {{ consultation.date_limite | heure }}"),
        ]),
    ]
}

fn destinataire() -> Vec<B> {
    vec![
        B::Droite("**{{ destinataire.raison_sociale }}**"),
        B::Droite("{{ destinataire.adresse }}"),
        B::Droite("À l'attention de {{ destinataire.representant }}"),
        B::Droite("Courriel : {{ destinataire.courriel }}"),
    ]
}

fn lettre_objet(objet_lettre: &'static str) -> Vec<B> {
    vec![
        B::P(objet_lettre),
        B::P("**Consultation :** {{ consultation.reference }} – {{ consultation.intitule }}"),
    ]
}

fn recours() -> Vec<B> {
    vec![
        B::T2("Voies et délais de recours"),
        B::P("La présente décision peut faire l'objet d'un référé précontractuel (article L. 551-1 du code de justice administrative) jusqu'à la signature du marché, puis, dans les deux mois suivant la publication de l'avis d'attribution, d'un recours en contestation de validité du contrat, devant le {{ organisme.tribunal }}."),
    ]
}

fn concat(parts: Vec<Vec<B>>) -> Vec<B> {
    parts.into_iter().flatten().collect()
}

/// The fifteen forms of the catalogue.
pub fn formulaires() -> Vec<Form> {
    vec![
        Form {
            code: "OUV3",
            titre: "Rapport d'analyse des candidatures",
            blocs: concat(vec![
                vec![B::Titre("Rapport d'analyse des candidatures")],
                acheteur(),
                objet(),
                vec![
                    B::T1("C – Candidatures reçues"),
                    B::P("{{ nb_candidats }} pli(s) ont été reçus dans le délai fixé au {{ consultation.date_limite | date_heure }}. Leur contenu a été examiné au regard des conditions de participation fixées dans les documents de la consultation (aptitude à exercer l'activité professionnelle, capacité économique et financière, capacités techniques et professionnelles)."),
                    B::Tab("candidats", &[
                        ("N°", "{{ numero }}"),
                        ("Candidat", "{{ raison_sociale }}"),
                        ("SIRET", "{{ siret | siret }}"),
                        ("Dépôt", "{{ date_depot | date_heure }}"),
                        ("Lots", "{{ lots }}"),
                        ("Appréciation", "{{ decision }}"),
                    ]),
                    B::T1("D – Analyse"),
                    B::P("Les pièces de candidature ont été vérifiées : lettre de candidature (DC1 ou DUME), déclaration du candidat (DC2), attestations sur l'honneur de non-interdiction de soumissionner, justificatifs de capacités et, le cas échéant, engagements des sous-traitants ou des membres du groupement."),
                    B::Si("a_non_admis"),
                    B::T2("Candidatures non admises"),
                    B::Tab("candidats_non_admis", &[
                        ("Candidat", "{{ raison_sociale }}"),
                        ("Motif", "{{ motif }}"),
                    ]),
                    B::Fin("a_non_admis"),
                    B::SiNon("a_non_admis"),
                    B::P("Toutes les candidatures satisfont aux conditions de participation."),
                    B::Fin("a_non_admis"),
                    B::T1("E – Proposition"),
                    B::P("Il est proposé d'admettre {{ nb_admis }} candidature(s) et d'en écarter {{ nb_non_admis }}."),
                    B::Signature("{{ organisme.representant.nom }}, {{ organisme.representant.qualite }}"),
                ],
            ]),
        },
        Form {
            code: "OUV4",
            titre: "PV de la commission d'appel d'offres – admission des candidatures",
            blocs: concat(vec![
                vec![B::Titre("Procès-verbal de la commission d'appel d'offres – admission des candidatures")],
                acheteur(),
                objet(),
                vec![
                    B::T1("C – Réunion de la commission"),
                    B::P("La commission d'appel d'offres s'est réunie le {{ commission.date | date_longue }} à {{ commission.date | heure }}, {{ commission.lieu }}, sous la présidence de {{ commission.president }}."),
                    B::T2("Membres présents"),
                    B::Tab("commission.membres", &[
                        ("Nom", "{{ nom }}"),
                        ("Qualité", "{{ qualite }}"),
                    ]),
                    B::Si("commission.quorum"),
                    B::P("Le quorum étant atteint, la commission peut valablement délibérer."),
                    B::Fin("commission.quorum"),
                    B::SiNon("commission.quorum"),
                    B::P("Le quorum n'étant pas atteint, la commission sera à nouveau convoquée."),
                    B::Fin("commission.quorum"),
                    B::T1("D – Examen des candidatures"),
                    B::P("La commission a pris connaissance du rapport d'analyse des candidatures. {{ nb_candidats }} candidature(s) ont été examinées."),
                    B::Tab("candidats", &[
                        ("N°", "{{ numero }}"),
                        ("Candidat", "{{ raison_sociale }}"),
                        ("Décision de la commission", "{{ decision }}"),
                        ("Motif", "{{ motif | defaut \"—\" }}"),
                    ]),
                    B::T1("E – Décision"),
                    B::P("La commission admet {{ nb_admis }} candidature(s) et décide de ne pas admettre {{ nb_non_admis }} candidature(s). Les plis contenant les offres des candidats admis seront ouverts."),
                    B::Signature("{{ commission.president }}, président(e) de la commission"),
                ],
            ]),
        },
        Form {
            code: "OUV5",
            titre: "Admission des candidatures",
            blocs: concat(vec![
                vec![B::Titre("Décision d'admission des candidatures")],
                acheteur(),
                objet(),
                vec![
                    B::T1("C – Décision"),
                    B::P("Vu les documents de la consultation et le rapport d'analyse des candidatures, {{ organisme.representant.nom }}, {{ organisme.representant.qualite }}, décide :"),
                    B::P("**Article 1er** – Sont admises à présenter une offre ou dont l'offre sera examinée, les candidatures suivantes :"),
                    B::Tab("candidats_admis", &[
                        ("Candidat", "{{ raison_sociale }}"),
                        ("SIRET", "{{ siret | siret }}"),
                        ("Lots", "{{ lots }}"),
                    ]),
                    B::Si("a_non_admis"),
                    B::P("**Article 2** – Ne sont pas admises les candidatures suivantes, pour les motifs indiqués :"),
                    B::Tab("candidats_non_admis", &[
                        ("Candidat", "{{ raison_sociale }}"),
                        ("Motif", "{{ motif }}"),
                    ]),
                    B::Fin("a_non_admis"),
                    B::P("Les candidats dont la candidature n'est pas admise en seront informés par une notification de rejet."),
                    B::Signature("{{ organisme.representant.nom }}, {{ organisme.representant.qualite }}"),
                ],
            ]),
        },
        Form {
            code: "OUV6",
            titre: "Demande de précisions ou de compléments sur l'offre",
            blocs: concat(vec![
                vec![B::Titre("Demande de précisions ou de compléments sur la teneur de l'offre")],
                destinataire(),
                lettre_objet("**Objet :** demande de précisions sur votre offre"),
                vec![
                    B::P("Madame, Monsieur,"),
                    B::P("Dans le cadre de l'analyse des offres de la consultation citée en référence, l'acheteur souhaite obtenir des précisions sur la teneur de votre offre, en application de l'article R. 2161-5 du code de la commande publique pour les procédures concernées. Ces précisions ne peuvent avoir pour effet de modifier les éléments fondamentaux de l'offre."),
                    B::T2("Points à préciser"),
                    B::Tab("precisions.questions", &[
                        ("N°", "{{ numero }}"),
                        ("Question", "{{ texte }}"),
                    ]),
                    B::P("Votre réponse doit parvenir par la messagerie sécurisée du profil d'acheteur au plus tard le **{{ precisions.date_limite_reponse | date_longue }} à {{ precisions.date_limite_reponse | heure }}**."),
                    B::P("Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées."),
                    B::Signature("{{ organisme.representant.nom }}, {{ organisme.representant.qualite }}"),
                ],
            ]),
        },
        Form {
            code: "OUV7",
            titre: "Réponse à la demande de précisions",
            blocs: concat(vec![
                vec![B::Titre("Réponse à la demande de précisions sur l'offre")],
                lettre_objet("**Objet :** réponse du candidat à la demande de précisions de l'acheteur"),
                vec![
                    B::P("**Acheteur :** {{ organisme.nom }}"),
                    B::P("**Candidat :** {{ destinataire.raison_sociale }} (SIRET {{ destinataire.siret | siret }}), {{ destinataire.adresse }}"),
                    B::P("En réponse à la demande de précisions qui lui a été adressée, le candidat apporte les éléments suivants, qui ne modifient pas les éléments fondamentaux de son offre :"),
                    B::Tab("precisions.reponses", &[
                        ("N°", "{{ numero }}"),
                        ("Question de l'acheteur", "{{ question }}"),
                        ("Réponse du candidat", "{{ reponse }}"),
                    ]),
                    B::Signature("{{ destinataire.representant }}, pour {{ destinataire.raison_sociale }}"),
                ],
            ]),
        },
        Form {
            code: "OUV8",
            titre: "Rapport d'analyse des offres",
            blocs: concat(vec![
                vec![B::Titre("Rapport d'analyse des offres")],
                acheteur(),
                objet(),
                vec![
                    B::T1("C – Critères de jugement des offres"),
                    B::P("Les offres ont été jugées selon les critères pondérés suivants, annoncés dans le règlement de la consultation :"),
                    B::Tab("consultation.criteres", &[
                        ("Critère", "{{ libelle }}"),
                        ("Pondération", "{{ ponderation }} %"),
                    ]),
                    B::T1("D – Analyse et classement par lot"),
                    B::Si("lots"),
                    B::T2("Lot {{ numero }} – {{ intitule }}"),
                    B::P("Estimation de l'acheteur : {{ montant_estime | montant | defaut \"non communiquée\" }}. Nombre d'offres : {{ nb_offres }}."),
                    B::Tab("offres", &[
                        ("Rang", "{{ rang }}"),
                        ("Candidat", "{{ raison_sociale }}"),
                        ("Montant HT", "{{ montant_ht | montant }}"),
                        ("Note technique", "{{ note_technique | nombre 2 }}"),
                        ("Note prix", "{{ note_prix | nombre 2 }}"),
                        ("Note finale", "{{ note_totale | nombre 2 }}"),
                        ("Statut", "{{ statut }}"),
                    ]),
                    B::Si("attribue"),
                    B::P("L'offre économiquement la plus avantageuse est celle de **{{ attributaire.raison_sociale }}** pour un montant de {{ attributaire.montant_ht | montant }} HT."),
                    B::Fin("attribue"),
                    B::Si("infructueux"),
                    B::P("Aucune offre appropriée, régulière et acceptable n'a été remise : il est proposé de déclarer ce lot infructueux."),
                    B::Fin("infructueux"),
                    B::Fin("lots"),
                    B::T1("E – Proposition d'attribution"),
                    B::P("Au vu de l'analyse qui précède, il est proposé d'attribuer le marché conformément au classement ci-dessus."),
                    B::Signature("{{ organisme.representant.nom }}, {{ organisme.representant.qualite }}"),
                ],
            ]),
        },
        Form {
            code: "OUV9",
            titre: "PV de la commission d'appel d'offres – décision d'attribution",
            blocs: concat(vec![
                vec![B::Titre("Procès-verbal de la commission d'appel d'offres – attribution")],
                acheteur(),
                objet(),
                vec![
                    B::T1("C – Réunion de la commission"),
                    B::P("La commission d'appel d'offres s'est réunie le {{ commission.date | date_longue }} à {{ commission.date | heure }}, {{ commission.lieu }}, sous la présidence de {{ commission.president }}."),
                    B::Tab("commission.membres", &[
                        ("Membre", "{{ nom }}"),
                        ("Qualité", "{{ qualite }}"),
                    ]),
                    B::T1("D – Choix des attributaires"),
                    B::P("Après avoir pris connaissance du rapport d'analyse des offres, la commission décide d'attribuer le marché comme suit :"),
                    B::Tab("decision.attributions", &[
                        ("Lot", "{{ lot }} – {{ intitule }}"),
                        ("Attributaire", "{{ raison_sociale }}"),
                        ("SIRET", "{{ siret | siret }}"),
                        ("Montant HT", "{{ montant_ht | montant }}"),
                    ]),
                    B::Si("decision.a_infructueux"),
                    B::P("Les lots suivants sont déclarés infructueux :"),
                    B::Tab("decision.lots_infructueux", &[
                        ("Lot", "{{ numero }}"),
                        ("Intitulé", "{{ intitule }}"),
                    ]),
                    B::Fin("decision.a_infructueux"),
                    B::P("Montant total attribué : **{{ decision.montant_total_ht | montant }} HT**."),
                    B::Signature("{{ commission.president }}, président(e) de la commission"),
                ],
            ]),
        },
        Form {
            code: "OUV10",
            titre: "Décision d'attribution",
            blocs: concat(vec![
                vec![B::Titre("Décision d'attribution du marché")],
                acheteur(),
                objet(),
                vec![
                    B::T1("C – Décision"),
                    B::P("Vu le code de la commande publique, vu le rapport d'analyse des offres, {{ decision.signataire.nom }}, {{ decision.signataire.qualite }}, décide :"),
                    B::P("**Article 1er** – Le marché est attribué aux opérateurs économiques suivants :"),
                    B::Tab("decision.attributions", &[
                        ("Lot", "{{ lot }} – {{ intitule }}"),
                        ("Attributaire", "{{ raison_sociale }}"),
                        ("Montant HT", "{{ montant_ht | montant }}"),
                        ("Montant en lettres", "{{ montant_ht | montant_lettres }} hors taxes"),
                    ]),
                    B::Si("decision.a_infructueux"),
                    B::P("**Article 2** – Les lots suivants sont déclarés infructueux :"),
                    B::Tab("decision.lots_infructueux", &[
                        ("Lot", "{{ numero }}"),
                        ("Intitulé", "{{ intitule }}"),
                    ]),
                    B::Fin("decision.a_infructueux"),
                    B::P("**Article 3** – Les candidats évincés seront informés du rejet de leur offre ; le marché ne sera pas signé avant l'expiration d'un délai de onze jours à compter de cette information."),
                    B::Signature("{{ decision.signataire.nom }}, {{ decision.signataire.qualite }}"),
                ],
            ]),
        },
        Form {
            code: "OUV11",
            titre: "Mise au point",
            blocs: concat(vec![
                vec![B::Titre("Mise au point du marché")],
                acheteur(),
                objet(),
                vec![
                    B::T1("C – Titulaire pressenti"),
                    B::Fiche(&[
                        ("Titulaire", "{{ destinataire.raison_sociale }}"),
                        ("SIRET", "{{ destinataire.siret | siret }}"),
                        ("Adresse", "{{ destinataire.adresse }}"),
                        ("Lot", "{{ contrat.lot.numero }} – {{ contrat.lot.intitule }}"),
                    ]),
                    B::T1("D – Points mis au point"),
                    B::P("Les parties conviennent de préciser les points suivants, sans modifier les caractéristiques substantielles de l'offre ni les conditions de mise en concurrence :"),
                    B::Tab("mise_au_point.points", &[
                        ("Objet", "{{ objet }}"),
                        ("Précision apportée", "{{ texte }}"),
                    ]),
                    B::P("Le montant du marché reste fixé à {{ contrat.montant_ht | montant }} HT, soit {{ contrat.montant_ttc | montant }} TTC."),
                    B::Signature("Pour l'acheteur : {{ organisme.representant.nom }} – pour le titulaire : {{ destinataire.representant }}"),
                ],
            ]),
        },
        Form {
            code: "NOT11",
            titre: "Information au titulaire retenu",
            blocs: concat(vec![
                vec![B::Titre("Information au candidat retenu")],
                destinataire(),
                lettre_objet("**Objet :** information de l'attribution du marché"),
                vec![
                    B::P("Madame, Monsieur,"),
                    B::P("J'ai l'honneur de vous informer que l'offre que vous avez présentée pour le lot {{ contrat.lot.numero }} – {{ contrat.lot.intitule }} a été retenue, pour un montant de **{{ contrat.montant_ht | montant }} HT** ({{ contrat.montant_ht | montant_lettres }} hors taxes)."),
                    B::P("Le marché vous sera notifié après l'expiration du délai de suspension de {{ standstill.jours }} jours, soit à compter du {{ standstill.date_fin | date_longue }}, sous réserve que vous produisiez, avant le {{ document.date_limite_pieces | date_longue }}, les pièces suivantes :"),
                    B::Puce("les attestations fiscales et sociales prévues aux articles R. 2143-6 à R. 2143-10 du code de la commande publique ;"),
                    B::Puce("un extrait Kbis ou document équivalent de moins de trois mois ;"),
                    B::Puce("la liste nominative des salariés étrangers soumis à autorisation de travail, le cas échéant."),
                    B::P("Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées."),
                    B::Signature("{{ organisme.representant.nom }}, {{ organisme.representant.qualite }}"),
                ],
            ]),
        },
        Form {
            code: "NOT13",
            titre: "Notification de rejet de candidature ou d'offre",
            blocs: concat(vec![
                vec![B::Titre("Notification de rejet")],
                destinataire(),
                lettre_objet("**Objet :** rejet de votre candidature ou de votre offre"),
                vec![
                    B::P("Madame, Monsieur,"),
                    B::Si("rejet.candidature_rejetee"),
                    B::P("J'ai le regret de vous informer que votre candidature n'a pas été admise, pour le motif suivant : {{ rejet.motif_candidature }}."),
                    B::Fin("rejet.candidature_rejetee"),
                    B::SiNon("rejet.candidature_rejetee"),
                    B::P("J'ai le regret de vous informer que l'offre que vous avez présentée n'a pas été retenue pour les lots suivants :"),
                    B::Tab("rejet.lots", &[
                        ("Lot", "{{ numero }} – {{ intitule }}"),
                        ("Votre rang", "{{ rang }}"),
                        ("Votre note", "{{ note_totale | nombre 2 }} / 100"),
                        ("Motif", "{{ motif }}"),
                        ("Attributaire", "{{ attributaire }}"),
                        ("Note et montant de l'attributaire", "{{ note_attributaire | nombre 2 }} / 100 – {{ montant_attributaire | montant }} HT"),
                    ]),
                    B::P("Les caractéristiques et avantages relatifs de l'offre retenue peuvent vous être communiqués sur demande écrite, dans un délai de quinze jours à compter de la réception de celle-ci."),
                    B::P("Conformément aux articles R. 2182-1 et suivants du code de la commande publique, le marché ne sera pas signé avant le **{{ standstill.date_fin | date_longue }}**, terme d'un délai de {{ standstill.jours }} jours à compter de l'envoi de la présente notification."),
                    B::Fin("rejet.candidature_rejetee"),
                ],
                recours(),
                vec![
                    B::P("Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées."),
                    B::Signature("{{ organisme.representant.nom }}, {{ organisme.representant.qualite }}"),
                ],
            ]),
        },
        Form {
            code: "NOT14",
            titre: "Rapport de présentation d'une consultation",
            blocs: concat(vec![
                vec![B::Titre("Rapport de présentation de la procédure de passation")],
                acheteur(),
                objet(),
                vec![
                    B::T1("C – Déroulement de la procédure"),
                    B::P("L'avis d'appel public à la concurrence a été publié le {{ consultation.date_publication | date_longue }}. Les plis devaient parvenir avant le {{ consultation.date_limite | date_longue }} à {{ consultation.date_limite | heure }}. Le montant estimé du besoin s'élevait à {{ consultation.montant_estime | montant }} HT."),
                    B::P("{{ nb_candidats }} candidat(s) ont remis un pli ; {{ nb_admis }} candidature(s) ont été admises."),
                    B::Tab("candidats", &[
                        ("Candidat", "{{ raison_sociale }}"),
                        ("Dépôt", "{{ date_depot | date_heure }}"),
                        ("Candidature", "{{ decision }}"),
                    ]),
                    B::T1("D – Analyse des offres et choix"),
                    B::Tab("lots", &[
                        ("Lot", "{{ numero }} – {{ intitule }}"),
                        ("Offres", "{{ nb_offres }}"),
                        ("Attributaire", "{{ attributaire.raison_sociale | defaut \"lot infructueux\" }}"),
                        ("Montant HT", "{{ attributaire.montant_ht | montant | defaut \"—\" }}"),
                    ]),
                    B::P("Les motifs du choix des offres retenues figurent au rapport d'analyse des offres ; les candidats évincés ont été informés le {{ document.date | date_longue }}."),
                    B::T1("E – Marché conclu"),
                    B::Fiche(&[
                        ("Numéro du marché", "{{ contrat.numero }}"),
                        ("Titulaire", "{{ contrat.titulaire.raison_sociale }}"),
                        ("Montant HT", "{{ contrat.montant_ht | montant }}"),
                        ("Durée", "{{ contrat.duree }}"),
                    ]),
                    B::Signature("{{ organisme.representant.nom }}, {{ organisme.representant.qualite }}"),
                ],
            ]),
        },
        Form {
            code: "NOT15",
            titre: "Notification du marché public",
            blocs: concat(vec![
                vec![B::Titre("Notification du marché public")],
                destinataire(),
                lettre_objet("**Objet :** notification du marché n° {{ contrat.numero }}"),
                vec![
                    B::T1("A – Identification du pouvoir adjudicateur"),
                    B::P("{{ organisme.nom }}, {{ organisme.adresse }}, représenté par {{ organisme.representant.nom }}, {{ organisme.representant.qualite }}."),
                    B::T1("B – Objet de la notification"),
                    B::P("La présente notification vous est adressée pour le marché n° {{ contrat.numero }} relatif à : {{ consultation.objet }} (lot {{ contrat.lot.numero }} – {{ contrat.lot.intitule }})."),
                    B::Fiche(&[
                        ("Montant HT", "{{ contrat.montant_ht | montant }}"),
                        ("TVA ({{ contrat.taux_tva | nombre }} %)", "{{ contrat.montant_tva | montant }}"),
                        ("Montant TTC", "{{ contrat.montant_ttc | montant }}"),
                        ("En lettres", "{{ contrat.montant_ttc | montant_lettres }} toutes taxes comprises"),
                        ("Forme du prix", "{{ contrat.forme_prix }}"),
                        ("Durée", "{{ contrat.duree }}"),
                        ("Date de signature par l'acheteur", "{{ contrat.date_signature | date }}"),
                    ]),
                    B::T1("C – Prise d'effet"),
                    B::P("Le marché prend effet à la date de réception de la présente notification, soit au plus tard le {{ contrat.date_notification | date_longue }}. Le délai de paiement est de {{ contrat.delai_paiement }} jours."),
                    B::Signature("{{ organisme.representant.nom }}, {{ organisme.representant.qualite }}"),
                    B::T1("D – Accusé de réception par le titulaire"),
                    B::P("Le titulaire reconnaît avoir reçu notification du marché n° {{ contrat.numero }}. À ……………………, le ……………………"),
                ],
            ]),
        },
        Form {
            code: "NOT17",
            titre: "Garantie à première demande",
            blocs: concat(vec![
                vec![B::Titre("Garantie à première demande")],
                vec![
                    B::T1("A – Garant"),
                    B::Fiche(&[
                        ("Établissement garant", "{{ garantie.garant.nom }}"),
                        ("Adresse", "{{ garantie.garant.adresse }}"),
                        ("SIRET", "{{ garantie.garant.siret | siret }}"),
                        ("Représentant", "{{ garantie.garant.representant }}"),
                    ]),
                    B::T1("B – Marché garanti"),
                    B::Fiche(&[
                        ("Acheteur bénéficiaire", "{{ organisme.nom }}"),
                        ("Marché", "n° {{ contrat.numero }} – {{ consultation.intitule }}"),
                        ("Titulaire", "{{ contrat.titulaire.raison_sociale }} (SIRET {{ contrat.titulaire.siret | siret }})"),
                        ("Montant du marché TTC", "{{ contrat.montant_ttc | montant }}"),
                    ]),
                    B::T1("C – Engagement"),
                    B::P("Le garant déclare se porter garant à première demande, en faveur de l'acheteur, au titre de la {{ garantie.objet }}, à hauteur de **{{ garantie.montant | montant }}** ({{ garantie.montant | montant_lettres }})."),
                    B::P("Le garant s'engage à payer, dès réception d'une demande écrite de l'acheteur, sans pouvoir opposer aucune exception tenant au marché, toute somme dans la limite du montant ci-dessus. La présente garantie prend effet à la date de sa signature et expire le {{ garantie.date_expiration | date_longue }}."),
                    B::Signature("{{ garantie.garant.representant }}, pour {{ garantie.garant.nom }}"),
                ],
            ]),
        },
        Form {
            code: "NOT18",
            titre: "Caution personnelle et solidaire",
            blocs: concat(vec![
                vec![B::Titre("Caution personnelle et solidaire")],
                vec![
                    B::T1("A – Caution"),
                    B::Fiche(&[
                        ("Établissement caution", "{{ garantie.garant.nom }}"),
                        ("Adresse", "{{ garantie.garant.adresse }}"),
                        ("SIRET", "{{ garantie.garant.siret | siret }}"),
                        ("Représentant", "{{ garantie.garant.representant }}"),
                    ]),
                    B::T1("B – Marché cautionné"),
                    B::Fiche(&[
                        ("Acheteur créancier", "{{ organisme.nom }}"),
                        ("Marché", "n° {{ contrat.numero }} – {{ consultation.intitule }}"),
                        ("Titulaire débiteur", "{{ contrat.titulaire.raison_sociale }} (SIRET {{ contrat.titulaire.siret | siret }})"),
                        ("Lot", "{{ contrat.lot.numero }} – {{ contrat.lot.intitule }}"),
                    ]),
                    B::T1("C – Engagement de la caution"),
                    B::P("La caution déclare se porter caution personnelle et solidaire du titulaire, en renonçant aux bénéfices de discussion et de division, au titre de la {{ garantie.objet }}, dans la limite de **{{ garantie.montant | montant }}** ({{ garantie.montant | montant_lettres }})."),
                    B::P("La caution s'engage à verser ces sommes à l'acheteur dans un délai de quinze jours à compter de la mise en demeure adressée au titulaire et restée sans effet. Le présent engagement expire le {{ garantie.date_expiration | date_longue }}."),
                    B::Signature("{{ garantie.garant.representant }}, pour {{ garantie.garant.nom }}"),
                ],
            ]),
        },
    ]
}
