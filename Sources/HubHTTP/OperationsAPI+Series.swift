import HubCore
import HubStore

// GET /api/v1/entities/{id}/series: one numeric attribute of one entity, rolled up per hour or day.
extension OperationsAPI {
    /// The roll-up buckets of `attribute` of entity `id` at `step` (`1h`, the default, or `1d`)
    /// between `from` and `to` (by default the last day for hours, the last 30 days for days),
    /// oldest first. 404 when the entity is not stored or is on a route the token cannot read.
    func series(_ request: HTTPRequest, id: String, access: ReadAccess) throws -> HTTPResponse {
        try QueryFilters.rejectUnknown(request, allowed: ["attribute", "step", "from", "to", "access_token"])
        guard let attribute = request.queryValue("attribute"), !attribute.isEmpty else {
            throw BadRequest("attribute is required: the name of a numeric attribute, such as no2")
        }
        let stepText = request.queryValue("step") ?? SeriesStep.hour.rawValue
        guard let step = SeriesStep(rawValue: stepText) else {
            throw BadRequest("step must be \(SeriesStep.allCases.map(\.rawValue).joined(separator: " or ")), found \"\(stepText)\"")
        }
        let range = try QueryFilters.filter(request)
        let to = range.to ?? .now()
        let from = range.from ?? to.adding(microseconds: -(step == .hour ? 1 : 30) * SeriesStep.day.microseconds)
        guard from < to else { throw BadRequest("from (\(from.iso8601)) must be earlier than to (\(to.iso8601))") }
        let buckets = (to.microsecondsSinceEpoch - from.microsecondsSinceEpoch) / step.microseconds
        guard buckets < Int64(StoreLimits.maximumSeriesPoints) else {
            throw BadRequest("from and to span \(buckets) buckets of \(step.rawValue); at most \(StoreLimits.maximumSeriesPoints - 1) at a time")
        }
        guard try visibleLatest(id, access: access) != nil else {
            return .error(404, "not-found", "no entity \(id) is stored (or it is on a route this token cannot read)")
        }
        let points = try hub.store.series(entity: id, attribute: attribute, step: step, from: from, to: to)
        return .json(200, .object([
            "entity": .string(id), "attribute": .string(attribute), "step": .string(step.rawValue),
            "from": .string(from.iso8601), "to": .string(to.iso8601),
            "points": .array(points.map { point in
                .object([
                    "start": .string(point.start.iso8601), "count": .number(Double(point.count)), "min": .number(point.min),
                    "max": .number(point.max), "mean": .number(point.mean), "last": .number(point.last),
                ])
            }),
        ]))
    }
}
