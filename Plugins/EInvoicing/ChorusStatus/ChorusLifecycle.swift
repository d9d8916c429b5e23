/// The statuses of an invoice in Chorus Pro (the State's e-invoicing portal for public buyers) and
/// the transitions its processing allows, as described in Chorus Pro's public documentation
/// (AIFE: "statuts des factures", the Hélios accounting statuses, the validation circuit).
public enum ChorusLifecycle {
    /// Every status the hub knows, with its French label as the portal shows it.
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
    public static let finalStatuses: Set<String> = ["REJETEE", "MISE_EN_PAIEMENT"]

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
            return "the invoice was already \(labels[previous] ?? previous), a final status, and then became \(labels[next] ?? next)"
        }
        guard allowedNext[previous]?.contains(next) ?? false else {
            return "Chorus Pro's lifecycle does not go from \(labels[previous] ?? previous) to \(labels[next] ?? next); check the invoice's history in the portal"
        }
        return nil
    }
}
