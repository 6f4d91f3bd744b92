#include "shapebaseline.h"

#include <zlib.h>

using namespace Qt::StringLiterals;

std::unique_ptr<ShapeBaseline> ShapeBaseline::open(const ForeignStores::Shape &shape,
                                                   const QString &location, QString *error)
{
    return shape.dialect == SqlDialect::Sqlite ? openSqliteShapeBaseline(shape, location, error)
                                               : openPostgresShapeBaseline(shape, location, error);
}

bool ShapeBaseline::merge(Fold &fold, std::string_view stored)
{
    std::string_view json = stored;
    if (m_shape.payload == ForeignStores::PayloadForm::Zlib) {
        // Inflated into a buffer that grows until the payload fits.
        m_inflated.resize(std::max<std::size_t>(m_inflated.size(), stored.size() * 4 + 64));
        for (;;) {
            uLongf size = uLongf(m_inflated.size());
            const int rc =
                uncompress(reinterpret_cast<Bytef *>(m_inflated.data()), &size,
                           reinterpret_cast<const Bytef *>(stored.data()), uLong(stored.size()));
            if (rc == Z_OK) {
                json = std::string_view(m_inflated.data(), size);
                break;
            }
            if (rc != Z_BUF_ERROR) {
                m_error = u"zlib: cannot inflate a payload (%1)"_s.arg(rc);
                return false;
            }
            m_inflated.resize(m_inflated.size() * 2);
        }
    }
    m_buffer.resize(json.size() + simdjson::SIMDJSON_PADDING);
    m_buffer.replace(0, json.size(), json);
    const auto typed =
        m_shape.typedValues ? JsonState::TypedValues::Unwrap : JsonState::TypedValues::Keep;
    if (auto error = fold.state.merge(m_parser, m_buffer.data(), json.size(), typed)) {
        m_error = u"simdjson: %1"_s.arg(QString::fromUtf8(simdjson::error_message(error)));
        return false;
    }
    return true;
}
