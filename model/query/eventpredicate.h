#pragma once

// A predicate (Predicate) over one event: its paths read the event's data, except those that
// start with the key `metadata`, which read its metadata (`metadata.user == "u2"`), so a data
// field named "metadata" is out of reach. Data or metadata that is not JSON has no fields:
// every path into it is missing; so has data that is not an object when the predicate also
// reads the metadata. The metadata is parsed only when the predicate reads it.

#include "core/event.h"
#include "query/predicate.h"

class EventPredicate
{
public:
    explicit EventPredicate(Predicate predicate);

    bool holds(const Event &event) const;
    const Predicate &predicate() const { return m_predicate; }

private:
    Predicate m_predicate;
    bool m_readsMetadata = false;
};
