#pragma once

// Two of EventIndex's columns kept smaller than their widest values need, because the index
// holds every event of a store of up to 40 million: each byte an event is 40 MB.

#include <QtGlobal>

#include <cstddef>
#include <limits>
#include <vector>

// Signed integers (versions) in 32 bits while every one fits, and in 64 bits from the first
// that does not on; `none` (the column's marker for a missing value) fits.
class CompactIntegers
{
public:
    explicit CompactIntegers(qint64 none) : m_none(none) {}

    std::size_t size() const { return isWide() ? m_wide.size() : m_narrow.size(); }
    qint64 operator[](std::size_t i) const
    {
        if (isWide())
            return m_wide[i];
        const qint32 v = m_narrow[i];
        return v == NarrowNone ? m_none : v;
    }
    std::size_t memoryBytes() const
    {
        return m_narrow.capacity() * sizeof(qint32) + m_wide.capacity() * sizeof(qint64);
    }

    void reserve(std::size_t n)
    {
        if (isWide())
            m_wide.reserve(n);
        else
            m_narrow.reserve(n);
    }
    void push_back(qint64 v)
    {
        if (!isWide() && v != m_none && (v <= NarrowNone || v > std::numeric_limits<qint32>::max()))
            widen();
        if (isWide())
            m_wide.push_back(v);
        else
            m_narrow.push_back(v == m_none ? NarrowNone : qint32(v));
    }
    // Appends `later`'s values, and frees them.
    void append(CompactIntegers &&later)
    {
        if (later.isWide() && !isWide())
            widen();
        if (isWide()) {
            m_wide.reserve(size() + later.size());
            for (std::size_t i = 0; i < later.size(); ++i)
                m_wide.push_back(later[i]);
        } else {
            m_narrow.insert(m_narrow.end(), later.m_narrow.cbegin(), later.m_narrow.cend());
        }
        later = CompactIntegers(later.m_none);
    }

private:
    static constexpr qint32 NarrowNone = std::numeric_limits<qint32>::min();

    // m_wide holds the values once any did not fit in 32 bits (an empty column is narrow).
    bool isWide() const { return m_isWide; }
    void widen()
    {
        m_wide.reserve(m_narrow.capacity());
        for (std::size_t i = 0; i < m_narrow.size(); ++i)
            m_wide.push_back((*this)[i]);
        m_narrow = {};
        m_isWide = true;
    }

    qint64 m_none;
    std::vector<qint32> m_narrow;
    std::vector<qint64> m_wide;
    bool m_isWide = false;
};

// Offsets of positions from the store's first one (below 2^32: the builder takes no more),
// in event order. While they run without a gap (start, start + 1, ...), as appends number
// them, no offset is stored; the first gap writes them all out.
class PositionOffsets
{
public:
    std::size_t size() const { return m_size; }
    quint32 operator[](std::size_t i) const
    {
        return m_offsets.empty() ? quint32(m_start + i) : m_offsets[i];
    }
    std::size_t memoryBytes() const { return m_offsets.capacity() * sizeof(quint32); }

    void push_back(quint32 offset)
    {
        if (m_size == 0 && m_offsets.empty())
            m_start = offset;
        else if (m_offsets.empty() && offset != m_start + m_size)
            writeOut(m_size + 1);
        if (!m_offsets.empty())
            m_offsets.push_back(offset);
        ++m_size;
    }
    // Appends `later`'s offsets, and frees them.
    void append(PositionOffsets &&later)
    {
        if (later.m_size == 0)
            return;
        if (m_size == 0) {
            *this = std::move(later);
            later = {};
            return;
        }
        const bool continues =
            m_offsets.empty() && later.m_offsets.empty() && later.m_start == m_start + m_size;
        if (!continues) {
            if (m_offsets.empty())
                writeOut(m_size + later.m_size);
            m_offsets.reserve(m_size + later.m_size);
            for (std::size_t i = 0; i < later.m_size; ++i)
                m_offsets.push_back(later[i]);
        }
        m_size += later.m_size;
        later = {};
    }

private:
    // The run so far as stored offsets, with room for `capacity`.
    void writeOut(std::size_t capacity)
    {
        m_offsets.reserve(capacity);
        for (std::size_t i = 0; i < m_size; ++i)
            m_offsets.push_back(quint32(m_start + i));
    }

    std::size_t m_size = 0;
    std::size_t m_start = 0;        // the first offset, while they run without a gap
    std::vector<quint32> m_offsets; // empty while they do
};
