package org.cloudkeep.provider.s3;

import java.io.InputStream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.cloudkeep.api.EntryPaths;

/** StAX helpers shared by the listing and error parsers. */
final class Xml {

    private Xml() {}

    /**
     * A streaming reader over an answer. The JDK's own StAX implementation (whatever else an OSGi framework offers),
     * without DTDs or external entities: an answer must not make us fetch anything or expand entities.
     */
    static XMLStreamReader reader(InputStream in) throws XMLStreamException {
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        return factory.createXMLStreamReader(in);
    }

    /** Skips the element the reader stands on (at its start tag), children included; ends on its end tag. */
    static void skip(XMLStreamReader xml) throws XMLStreamException {
        int depth = 1;
        while (depth > 0) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            } else if (event == XMLStreamConstants.END_DOCUMENT) {
                throw new XMLStreamException("the document ends inside an element");
            }
        }
    }

    /** Text from an answer, fit for a message: control characters shown, cut after {@code max} characters. */
    static String printable(String text, int max) {
        String shown = EntryPaths.printable(text);
        return shown.length() <= max ? shown : shown.substring(0, max) + "...";
    }
}
