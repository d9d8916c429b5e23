/// The statuses of an invoice in Chorus Pro (the State's e-invoicing portal for public buyers) and
/// the transitions its processing allows, as described in Chorus Pro's public documentation
/// (AIFE: "statuts des factures", the Hélios accounting statuses, the validation circuit) and the
/// `statutFacture` values of its API.
///
/// The lifecycle of an invoice to a public buyer (deposit, routing, validation circuit, processing,
/// accounting, payment) is modelled: a change between two modelled statuses that it does not allow
/// is flagged. The other statuses of the API (works invoices' project-manager circuit, drafts,
/// technical errors) are known but their transitions are not judged.
public enum ChorusLifecycle {
    /// The `statutFacture` values of Chorus Pro's API whose transitions are not modelled.
    public static let otherStatuses: Set<String> = [
        "BROUILLON", "ERREUR_FOURNISSEUR_SUR_VALIDEUR", "ABSENCE_VALIDATION_1_HORS_DELAI", "ERREUR_COTRAITANT_SUR_VALIDEUR",
        "ABSENCE_VALIDATION_2_HORS_DELAI", "ERREUR_FOURNISSEUR_SUR_MOE", "ABANDONNEE", "SUPPRIMEE", "ASSOCIEE",
        "EN_COURS_TRAITEMENT_PIVOT_S", "A_VALIDER_MOE", "REFUSEE_MOE", "EN_ATTENTE_RECYCLAGE_FOURNISSEUR",
        "ERREUR_MOE_SUR_FOURNISSEUR", "ERREUR_MOA_SUR_FOURNISSEUR", "INTERPRETEE_OCR", "ERREUR_FOURNISSEUR_SUR_MOA",
        "ERREUR_MOE_SUR_MOA", "ERREUR_DESTINATAIRE_PD", "ERREUR_DESTINATAIRE_EA", "NON_CONFORME", "A_ASSOCIER_MOE",
        "ERREUR_DE_MOE", "MISE_A_DISPOSITION_MOE", "PRISE_EN_COMPTE_MOE", "A_ASSOCIER_MOA", "ERREUR_DE_MOA", "REFUSEE_MOA",
        "A_ASSOCIER_FOURNISSEUR", "REFUSEE_FOURNISSEUR", "A_COMPLETER", "TRANSMISE_MOA", "PRISE_EN_COMPTE_DESTINATAIRE",
        "REMPLACEE_PAR_A22", "DUPLIQUE_APRES_REFUS", "MISE_A_DISPOSITION_MOA", "PRISE_EN_COMPTE_MOA",
        "ABSENCE_VALIDATION_MOE_DELAI_REGLEMENTAIRE", "TECHNIQUE_INCONNU", "VALIDEE",
    ]

    /// The label of a status: the portal's French wording for the modelled ones, the code in words otherwise.
    public static func label(of status: String) -> String {
        if let label = labels[status] { return label }
        let words = status.replacingOccurrences(of: "_", with: " ").lowercased()
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    /// Whether the status is one of Chorus Pro's.
    public static func isKnown(_ status: String) -> Bool { labels[status] != nil || otherStatuses.contains(status) }

    /// The modelled statuses with their French label as the portal shows it.
    public static let labels: [String: String] = [
        "DEPOSEE": "Déposée",
        "EN_COURS_ACHEMINEMENT": "En cours d'acheminement",
        "MISE_A_DISPOSITION": "Mise à disposition",
        "A_VALIDER_1": "À valider (1er valideur)",
        "REFUSEE_1": "Refusée (1er valideur)",
        "VALIDEE_1": "Validée (1er valideur)",
        "A_VALIDER_2": "À valider (2e valideur)",
        "REFUSEE_2": "Refusée (2e valideur)",
        "VALIDEE_2": "Validée (2e valideur)",
        "EN_COURS_TRAITEMENT": "En cours de traitement",
        "A_RECYCLER": "À recycler",
        "REJETEE": "Rejetée",
        "SUSPENDUE": "Suspendue",
        "COMPLETEE": "Complétée",
        "SERVICE_FAIT": "Service fait",
        "MANDATEE": "Mandatée",
        "MISE_A_DISPOSITION_COMPTABLE": "Mise à disposition comptable",
        "COMPTABILISEE": "Comptabilisée",
        "MISE_EN_PAIEMENT": "Mise en paiement",
    ]

    /// The statuses that end the lifecycle: nothing follows them.
    public static let finalStatuses: Set<String> = ["REJETEE", "MISE_EN_PAIEMENT", "ABANDONNEE", "SUPPRIMEE"]

    /// What may follow each status. A status not listed as a key has no allowed successor.
    public static let allowedNext: [String: Set<String>] = {
        let processing: Set<String> = [
            "EN_COURS_TRAITEMENT", "A_RECYCLER", "REJETEE", "SUSPENDUE", "SERVICE_FAIT", "MANDATEE",
            "MISE_A_DISPOSITION_COMPTABLE", "A_VALIDER_1",
        ]
        return [
            "DEPOSEE": ["EN_COURS_ACHEMINEMENT", "MISE_A_DISPOSITION", "A_RECYCLER", "REJETEE"],
            "EN_COURS_ACHEMINEMENT": ["MISE_A_DISPOSITION", "A_RECYCLER", "REJETEE"],
            "MISE_A_DISPOSITION": processing,
            "A_VALIDER_1": ["VALIDEE_1", "REFUSEE_1"],
            "VALIDEE_1": processing.union(["A_VALIDER_2", "MISE_A_DISPOSITION"]).subtracting(["A_VALIDER_1"]),
            "REFUSEE_1": ["REJETEE", "A_RECYCLER", "SUSPENDUE"],
            "A_VALIDER_2": ["VALIDEE_2", "REFUSEE_2"],
            "VALIDEE_2": processing.union(["MISE_A_DISPOSITION"]).subtracting(["A_VALIDER_1"]),
            "REFUSEE_2": ["REJETEE", "A_RECYCLER", "SUSPENDUE"],
            "EN_COURS_TRAITEMENT": processing.subtracting(["EN_COURS_TRAITEMENT"]),
            // Sent back to the supplier for a wrong recipient: it is routed again once corrected.
            "A_RECYCLER": ["DEPOSEE", "EN_COURS_ACHEMINEMENT", "MISE_A_DISPOSITION"],
            // Suspended for a missing document: the supplier completes it, or the buyer rejects it.
            "SUSPENDUE": ["COMPLETEE", "REJETEE"],
            "COMPLETEE": processing,
            "SERVICE_FAIT": ["MANDATEE", "MISE_A_DISPOSITION_COMPTABLE", "SUSPENDUE", "REJETEE", "A_RECYCLER"],
            "MANDATEE": ["MISE_A_DISPOSITION_COMPTABLE", "COMPTABILISEE", "MISE_EN_PAIEMENT"],
            "MISE_A_DISPOSITION_COMPTABLE": ["COMPTABILISEE", "MISE_EN_PAIEMENT", "MANDATEE"],
            "COMPTABILISEE": ["MISE_EN_PAIEMENT"],
        ]
    }()

    /// Why going from `previous` to `next` is not a step the lifecycle allows, or nil when it is.
    public static func problem(from previous: String, to next: String) -> String? {
        guard previous != next else { return nil }
        if finalStatuses.contains(previous) {
            return "the invoice was already \(label(of: previous)), a final status, and then became \(label(of: next))"
        }
        // Only changes between two modelled statuses are judged.
        guard labels[previous] != nil, labels[next] != nil else { return nil }
        guard allowedNext[previous]?.contains(next) ?? false else {
            return "Chorus Pro's lifecycle does not go from \(label(of: previous)) to \(label(of: next)); check the invoice's history in the portal"
        }
        return nil
    }
}
