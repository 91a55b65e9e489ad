<?php
declare(strict_types=1);

namespace Mpe;

/** 7xx : contrats et données essentielles. */
class ErreurDecp extends ErreurMpe
{
}
