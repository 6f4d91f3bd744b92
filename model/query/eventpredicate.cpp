#include "query/eventpredicate.h"

#include "decoding/payload.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace {

const QString MetadataKey = u"metadata"_s;

bool readsMetadata(const PredicateNode &node)
{
    if (!node.path.isEmpty() && node.path.steps().first().kind == PathStep::Kind::Key &&
        node.path.steps().first().key == MetadataKey)
        return true;
    return std::any_of(node.children.cbegin(), node.children.cend(), readsMetadata);
}

QJsonValue json(const QByteArray &bytes)
{
    return Payload::toJson(bytes).value_or(QJsonValue(QJsonValue::Undefined));
}

} // namespace

EventPredicate::EventPredicate(Predicate predicate)
    : m_predicate(std::move(predicate)), m_readsMetadata(readsMetadata(m_predicate.root()))
{
}

bool EventPredicate::holds(const Event &event) const
{
    const QJsonValue data = json(event.data);
    if (!m_readsMetadata)
        return m_predicate.holds(data);
    // One document in which `metadata` is the event's metadata and every other key the
    // data's; data that is not an object has no keys to read.
    QJsonObject document = data.toObject();
    const QJsonValue metadata = json(event.metadata);
    if (metadata.isUndefined())
        document.remove(MetadataKey);
    else
        document.insert(MetadataKey, metadata);
    return m_predicate.holds(document);
}
